// libxml2 headers for Swift.
//
// Debian's libxml2 is built with ICU, and its headers then pull in the system ICU's
// <unicode/*.h>, which clash with the ICU copy inside Foundation ("'UErrorCode' has different
// definitions in different modules"). sourcekeep never touches libxml2's ICU converter
// fields, so the headers are read with LIBXML_ICU_ENABLED undefined; pointers to the
// handler struct stay opaque to Swift.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

// `xmlFree` is a global function-pointer variable, which Swift 6 rejects as shared mutable
// state; calling it through a function keeps strict concurrency checking clean.
static inline void sk_xml_free(void *_Nullable p) { xmlFree(p); }
