// glibc's malloc tuning (mallopt), which the Glibc module does not export; part of libc, so
// nothing to link.
#include <malloc.h>
