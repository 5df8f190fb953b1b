#!/usr/bin/env python3
"""Reads each TOML file named on the command line with Python's tomllib and prints one line
per file: the value tree as tagged JSON, or "ERROR <message>". TOMLReaderDifferentialTests
compares the lines with sourcekeep's own reader.

The JSON form (both sides write it): a table is an object with sorted keys, an array a list,
every other value {"<kind>": "<text>"}: string, integer (decimal), float (the IEEE-754 bit
pattern in hex, "nan" for any NaN), bool (true/false), datetime (offset date-time in UTC
offset form YYYY-MM-DDTHH:MM:SS.ffffff+HH:MM), datetime-local, date-local, time-local
(fractions to microseconds, cut off as tomllib does).

Two TOML 1.0 rules tomllib does not apply are applied here: an integer outside the 64-bit
range is an error (tomllib keeps Python's unbounded int), and a byte-order mark at the start
is skipped (tomllib refuses it; TOML files written on Windows often have one).
"""
import datetime
import json
import struct
import sys
import tomllib


class Int64Range(Exception):
    pass


def tag(value):
    if isinstance(value, dict):
        return {k: tag(v) for k, v in value.items()}
    if isinstance(value, list):
        return [tag(v) for v in value]
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, str):
        return {"string": value}
    if isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise Int64Range(str(value))
        return {"integer": str(value)}
    if isinstance(value, float):
        if value != value:
            return {"float": "nan"}
        return {"float": format(struct.unpack(">Q", struct.pack(">d", value))[0], "x")}
    if isinstance(value, datetime.datetime):
        text = value.replace(tzinfo=None).isoformat(timespec="microseconds")
        if value.tzinfo is None:
            return {"datetime-local": text}
        minutes = int(value.utcoffset().total_seconds() // 60)
        sign = "-" if minutes < 0 else "+"
        return {"datetime": f"{text}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"}
    if isinstance(value, datetime.date):
        return {"date-local": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"time-local": value.isoformat(timespec="microseconds")}
    raise TypeError(type(value))


for path in sys.argv[1:]:
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
        if text.startswith("\ufeff"):
            text = text[1:]
        tree = tag(tomllib.loads(text))
        print(json.dumps(tree, sort_keys=True, ensure_ascii=True, separators=(",", ":")))
    except Int64Range as e:
        print(f"ERROR integer out of range: {e}")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError) as e:
        print("ERROR " + str(e).replace("\n", " ").replace("\t", " "))
