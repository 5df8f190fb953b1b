// glibc's malloc tuning and statistics (mallopt, malloc_info), which Swift's Glibc module
// does not export. Part of libc: nothing to link.
#include <malloc.h>
#include <stdio.h>
