import GRDB

/// The catalog's schema, as frozen migrations (GRDB `DatabaseMigrator`).
///
/// Each migration is plain SQL that never changes once released; a new release adds a new
/// migration. NOT NULL, foreign keys, CHECK and UNIQUE carry the invariants.
enum CatalogMigrations {
  /// Brings the catalog's schema up to date.
  static func migrate(_ writer: any DatabaseWriter) throws {
    let applied = try writer.read { db in try migrator.appliedIdentifiers(db) }
    try migrator.migrate(writer)
    // v3 drops v2's copy of every text, but SQLite keeps freed pages in the file until a
    // VACUUM: without one, a 2,000-article catalog grew from 270 to 450 MB on upgrade.
    if applied.contains("v2-snapshot-text") && !applied.contains("v3-snapshot-body") {
      try writer.vacuum()
    }
  }

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1-digests-links") { db in
      try db.execute(
        sql: """
          CREATE TABLE digest (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            title TEXT,
            date TEXT NOT NULL,
            date_source TEXT NOT NULL CHECK (date_source IN ('heading', 'file-name', 'mtime')),
            first_read TEXT NOT NULL,
            last_changed TEXT NOT NULL
          );
          CREATE TABLE entry (
            id INTEGER PRIMARY KEY,
            digest_id INTEGER NOT NULL REFERENCES digest(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            category TEXT,
            insight TEXT,
            bullets TEXT NOT NULL DEFAULT '[]',
            UNIQUE (digest_id, position)
          );
          CREATE TABLE link (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            scheme TEXT NOT NULL,
            host TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
              CHECK (state IN ('pending', 'alive', 'drifted', 'failing', 'dead', 'unknown')),
            status TEXT,
            reason TEXT,
            http_status INTEGER,
            final_url TEXT,
            checks INTEGER NOT NULL DEFAULT 0,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            first_seen TEXT NOT NULL,
            last_checked TEXT,
            last_ok TEXT,
            first_failure TEXT,
            dead_since TEXT,
            next_check TEXT,
            etag TEXT,
            last_modified TEXT
          );
          CREATE INDEX link_state ON link(state);
          CREATE INDEX link_next_check ON link(next_check);
          CREATE TABLE citation (
            id INTEGER PRIMARY KEY,
            digest_id INTEGER NOT NULL REFERENCES digest(id) ON DELETE CASCADE,
            entry_id INTEGER REFERENCES entry(id) ON DELETE CASCADE,
            link_id INTEGER NOT NULL REFERENCES link(id),
            role TEXT NOT NULL CHECK (role IN ('source', 'mention')),
            publisher TEXT,
            entry_title TEXT,
            raw_url TEXT NOT NULL,
            line INTEGER NOT NULL,
            position INTEGER NOT NULL,
            UNIQUE (digest_id, position)
          );
          CREATE INDEX citation_link ON citation(link_id);
          CREATE TABLE "check" (
            id INTEGER PRIMARY KEY,
            link_id INTEGER NOT NULL REFERENCES link(id),
            checked_at TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            http_status INTEGER,
            final_url TEXT,
            elapsed_ms INTEGER,
            attempts INTEGER NOT NULL DEFAULT 1,
            detail TEXT
          );
          CREATE INDEX check_link ON "check"(link_id, checked_at);
          CREATE TABLE snapshot (
            id INTEGER PRIMARY KEY,
            link_id INTEGER NOT NULL REFERENCES link(id),
            captured_at TEXT NOT NULL,
            status TEXT NOT NULL,
            http_status INTEGER,
            final_url TEXT,
            warc_file TEXT NOT NULL,
            warc_offset INTEGER NOT NULL,
            warc_length INTEGER NOT NULL,
            payload_digest TEXT NOT NULL,
            title TEXT,
            publisher TEXT,
            author TEXT,
            published TEXT,
            truncated INTEGER NOT NULL DEFAULT 0
          );
          CREATE INDEX snapshot_link ON snapshot(link_id, captured_at);
          """)
    }
    migrator.registerMigration("v2-snapshot-text") { db in
      // trigram: finds any substring of 3+ characters, which is what Chinese text needs
      // (no spaces between words); shorter queries fall back to LIKE in `search`.
      try db.execute(
        sql: """
          ALTER TABLE snapshot ADD COLUMN record_type TEXT NOT NULL DEFAULT 'response'
            CHECK (record_type IN ('response', 'revisit'));
          ALTER TABLE snapshot ADD COLUMN metadata_offset INTEGER;
          CREATE VIRTUAL TABLE snapshot_text USING fts5(title, publisher, body, tokenize = 'trigram');
          """)
    }
    migrator.registerMigration("v3-snapshot-body") { db in
      // v2 kept FTS5's own copy of every text beside the index: for 2,000 pages of 60 KB, 106 MB
      // of a 235 MB catalog, and SQLite was a quarter of capture CPU. Now the text is stored
      // once, compressed (SnapshotBody), and the trigram index is contentless: it answers MATCH
      // and rank without the text, and search builds snippets from the body.
      // detail=none: the index maps each trigram to the articles holding it, without
      // positions. A substring query looks up the AND of its trigrams and checks each
      // candidate against the stored text (as pg_trgm and code-search indexes do). Positions
      // (detail=full) made the index ~40x larger on the bench's text and cost ~2.5x the
      // CPU per article (SQLite 3.40, 2,000 articles of 60 KB).
      // automerge 16 (FTS5's default is 4): every commit adds a segment, and merging them 4 at
      // a time rewrote the index over and over; 16 at a time took ~20 % less CPU per article
      // (bench/catalog) and leaves queries a few more segments to read. The file is ~5 % larger
      // between merges (pages freed by a merge are reused by the next inserts).
      try db.execute(
        sql: """
          CREATE TABLE snapshot_body (
            snapshot_id INTEGER PRIMARY KEY REFERENCES snapshot(id),
            body BLOB NOT NULL
          );
          CREATE VIRTUAL TABLE snapshot_fts USING fts5(
            title, publisher, body, tokenize = 'trigram', content = '', detail = none);
          INSERT INTO snapshot_fts (snapshot_fts, rank) VALUES ('automerge', 16);
          """)
      // Streamed row by row (a cursor), so the migration's memory does not grow with the archive.
      let old = try Row.fetchCursor(
        db,
        sql: """
          SELECT t.rowid AS id, t.title, t.publisher, t.body FROM snapshot_text t
          JOIN snapshot s ON s.id = t.rowid ORDER BY t.rowid
          """)
      while let row = try old.next() {
        let text: String = row["body"] ?? ""
        try db.execute(
          sql: "INSERT INTO snapshot_body (snapshot_id, body) VALUES (?, ?)",
          arguments: [row["id"], SnapshotBody.encode(text)])
        try db.execute(
          sql: "INSERT INTO snapshot_fts (rowid, title, publisher, body) VALUES (?, ?, ?, ?)",
          arguments: [row["id"], row["title"] ?? "", row["publisher"] ?? "", text])
      }
      try db.execute(sql: "DROP TABLE snapshot_text")
    }
    migrator.registerMigration("v4-requisites") { db in
      // Page requisites (docs/design.md#page-requisites): the images a snapshot needed, each
      // with its outcome. Not links: never cited, never re-checked. An archived one points at
      // its `response`/`revisit` record; a reused one (a re-capture that already had it)
      // points at the record an earlier snapshot wrote. Indexes serve the web view and
      // `show` (newest record of a URL) and revisit detection (a payload already archived).
      try db.execute(
        sql: """
          CREATE TABLE requisite (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
            position INTEGER NOT NULL,
            url TEXT NOT NULL,
            final_url TEXT,
            status TEXT NOT NULL,
            reason TEXT,
            http_status INTEGER,
            content_type TEXT,
            payload_digest TEXT,
            record_type TEXT CHECK (record_type IS NULL OR record_type IN ('response', 'revisit')),
            record_id TEXT,
            warc_file TEXT,
            warc_offset INTEGER,
            warc_length INTEGER,
            bytes INTEGER NOT NULL DEFAULT 0,
            fetched_at TEXT NOT NULL,
            reused INTEGER NOT NULL DEFAULT 0
          );
          CREATE INDEX requisite_snapshot ON requisite(snapshot_id, position);
          CREATE INDEX requisite_url ON requisite(url, fetched_at);
          CREATE INDEX requisite_digest ON requisite(payload_digest) WHERE record_type = 'response';
          """)
    }
    migrator.registerMigration("v5-snapshot-conversion") { db in
      // Where each snapshot's readable rendition (a WARC `conversion` record) is; a revisit
      // points at the one of the response it repeats (docs/design.md#readable-copies).
      try db.execute(
        sql: """
          ALTER TABLE snapshot ADD COLUMN conversion_file TEXT;
          ALTER TABLE snapshot ADD COLUMN conversion_offset INTEGER;
          ALTER TABLE snapshot ADD COLUMN conversion_length INTEGER;
          """)
    }
    migrator.registerMigration("v6-scale-tallies") { db in
      // docs/performance.md#scale: `status` reads counts kept by triggers (one row each) instead
      // of counting a million rows, and `check now` selects due links through a partial index
      // whose key is the order it fetches them in (never-scheduled first, then oldest due).
      try db.execute(
        sql: """
          CREATE TABLE tally (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
          INSERT INTO tally (name, n) VALUES ('digests', (SELECT COUNT(*) FROM digest)),
            ('entries', (SELECT COUNT(*) FROM entry)), ('citations', (SELECT COUNT(*) FROM citation)),
            ('links', (SELECT COUNT(*) FROM link));
          INSERT INTO tally (name, n)
            SELECT 'state:' || s.state, (SELECT COUNT(*) FROM link l WHERE l.state = s.state)
            FROM (SELECT 'pending' AS state UNION ALL SELECT 'alive' UNION ALL SELECT 'drifted'
              UNION ALL SELECT 'failing' UNION ALL SELECT 'dead' UNION ALL SELECT 'unknown') s;
          CREATE TRIGGER tally_digest_insert AFTER INSERT ON digest
            BEGIN UPDATE tally SET n = n + 1 WHERE name = 'digests'; END;
          CREATE TRIGGER tally_digest_delete AFTER DELETE ON digest
            BEGIN UPDATE tally SET n = n - 1 WHERE name = 'digests'; END;
          CREATE TRIGGER tally_entry_insert AFTER INSERT ON entry
            BEGIN UPDATE tally SET n = n + 1 WHERE name = 'entries'; END;
          CREATE TRIGGER tally_entry_delete AFTER DELETE ON entry
            BEGIN UPDATE tally SET n = n - 1 WHERE name = 'entries'; END;
          CREATE TRIGGER tally_citation_insert AFTER INSERT ON citation
            BEGIN UPDATE tally SET n = n + 1 WHERE name = 'citations'; END;
          CREATE TRIGGER tally_citation_delete AFTER DELETE ON citation
            BEGIN UPDATE tally SET n = n - 1 WHERE name = 'citations'; END;
          CREATE TRIGGER tally_link_insert AFTER INSERT ON link
            BEGIN UPDATE tally SET n = n + 1 WHERE name IN ('links', 'state:' || NEW.state); END;
          CREATE TRIGGER tally_link_delete AFTER DELETE ON link
            BEGIN UPDATE tally SET n = n - 1 WHERE name IN ('links', 'state:' || OLD.state); END;
          CREATE TRIGGER tally_link_state AFTER UPDATE OF state ON link WHEN OLD.state IS NOT NEW.state
            BEGIN
              UPDATE tally SET n = n - 1 WHERE name = 'state:' || OLD.state;
              UPDATE tally SET n = n + 1 WHERE name = 'state:' || NEW.state;
            END;
          CREATE INDEX link_due ON link(COALESCE(next_check, ''), id) WHERE scheme IN ('http', 'https');
          """)
    }
    migrator.registerMigration("v7-archive-record") { db in
      // Every record a capture wrote, per snapshot (docs/design.md#cdxj-index): the CDXJ index is
      // written from these rows (so it lists exactly what the catalog points at, committed in
      // the same transaction as the snapshot), and `export wacz` cuts a capture's records by
      // offset and length. surt/ts/cdx_json are null for records an index leaves out (request).
      // The index on (surt, ts, cdx_json) returns the rows in CDXJ line order without a sort.
      try db.execute(
        sql: """
          CREATE TABLE archive_record (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
            record_type TEXT NOT NULL,
            warc_file TEXT NOT NULL,
            warc_offset INTEGER NOT NULL,
            warc_length INTEGER NOT NULL,
            surt TEXT,
            ts TEXT,
            cdx_json TEXT
          );
          CREATE INDEX archive_record_snapshot ON archive_record(snapshot_id);
          CREATE INDEX archive_record_cdx ON archive_record(surt, ts, cdx_json) WHERE surt IS NOT NULL;
          CREATE INDEX archive_record_place ON archive_record(warc_file, warc_offset);
          """)
    }
    migrator.registerMigration("v8-fallback") { db in
      // Public archives as a second line (docs/design.md#fallback): the last answer of each
      // source for a link that failed before sourcekeep had a good capture of it, kept between
      // asks (an error keeps the copy found before), and each Save Page Now submission.
      try db.execute(
        sql: """
          CREATE TABLE fallback (
            link_id INTEGER NOT NULL REFERENCES link(id),
            source TEXT NOT NULL CHECK (source IN ('wayback', 'memento')),
            asked_at TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('found', 'none', 'error')),
            url TEXT,
            timestamp TEXT,
            detail TEXT,
            PRIMARY KEY (link_id, source)
          );
          CREATE TABLE spn_submission (
            link_id INTEGER PRIMARY KEY REFERENCES link(id),
            submitted_at TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('submitted', 'error')),
            job_id TEXT,
            detail TEXT
          );
          """)
    }
    migrator.registerMigration("v9-web-lookups") { db in
      // The web view's lookups of an address that is not a cited URL (docs/design.md#web-view):
      // a link by where it redirected, a capture by its final URL, a revisit's payload among all
      // responses. Without these each such request, a 404 for an unknown address included,
      // scanned the link or snapshot table (ScaleIndexTests checks the plans).
      try db.execute(
        sql: """
          CREATE INDEX link_final_url ON link(final_url) WHERE final_url IS NOT NULL;
          CREATE INDEX snapshot_final_url ON snapshot(final_url) WHERE final_url IS NOT NULL;
          CREATE INDEX snapshot_payload ON snapshot(payload_digest, captured_at) WHERE record_type = 'response';
          """)
    }
    migrator.registerMigration("v10-text-index-queue") { db in
      // Texts stored but not yet in `snapshot_fts` (docs/design.md#search). A capture's
      // transaction stores its text and a row here; the full-text index takes the queued texts
      // 64 or more to a transaction (Catalog+TextIndex.swift), because FTS5 writes one segment
      // per transaction and merges them later: one text per commit cost ~40 % more CPU. Search
      // checks queued texts directly, so nothing is missing from its answers meanwhile, and a
      // process killed before indexing leaves the queue for the next run.
      try db.execute(sql: "CREATE TABLE snapshot_fts_queue (snapshot_id INTEGER PRIMARY KEY REFERENCES snapshot(id))")
    }
    migrator.registerMigration("v11-check-payload-digest") { db in
      // The payload digest a check's 200 answer had (docs/design.md#revisits-on-re-check). A
      // re-check that finds the archived payload again writes a `revisit` only now and then
      // (`health.revisit_every`); in between, this column is what shows the page served the same
      // bytes that day, in the one row the check adds. Null for checks made before it, and for
      // answers without an archivable body (304, errors). Adding a column rewrites nothing.
      try db.execute(sql: "ALTER TABLE \"check\" ADD COLUMN payload_digest TEXT")
    }
    return migrator
  }
}
