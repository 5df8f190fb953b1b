/* Level sweep behind SKZlib.ArchiveGzip (docs/performance.md#where-capture-cpu-goes): CPU per page
 * and compressed size of one gzip member per file, libdeflate levels 1-9 against zlib 5 and zlib 6
 * with the archive tuning sourcekeep used before (deflateTune 8, 16, 64, 64). Not a test.
 *   cc -O2 bench/capture/deflate_levels.c -o /tmp/deflate_levels -ldeflate -lz
 *   /tmp/deflate_levels page1.html page2.html ...   (10 rounds over all files) */
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <zlib.h>

static double cpu(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  int n = argc - 1, rounds = 10;
  unsigned char **in = calloc(n, sizeof *in);
  size_t *len = calloc(n, sizeof *len), cap = 0;
  for (int i = 0; i < n; i++) {
    FILE *f = fopen(argv[i + 1], "rb");
    if (!f) { perror(argv[i + 1]); return 1; }
    fseek(f, 0, SEEK_END);
    len[i] = ftell(f);
    rewind(f);
    in[i] = malloc(len[i]);
    if (fread(in[i], 1, len[i], f) != len[i]) return 1;
    fclose(f);
    if (len[i] > cap) cap = len[i];
  }
  size_t outcap = cap * 2 + 1024;
  unsigned char *out = malloc(outcap);
  for (int level = 1; level <= 9; level++) {
    double t = cpu();
    size_t total = 0;
    for (int r = 0; r < rounds; r++)
      for (int i = 0; i < n; i++) {
        struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
        total += libdeflate_gzip_compress(c, in[i], len[i], out, outcap);
        libdeflate_free_compressor(c);
      }
    printf("libdeflate %d: %.3f ms/page  %zu bytes/page\n", level, (cpu() - t) * 1000 / (rounds * n), total / (rounds * n));
  }
  for (int level = 5; level <= 6; level++) {
    double t = cpu();
    size_t total = 0;
    for (int r = 0; r < rounds; r++)
      for (int i = 0; i < n; i++) {
        z_stream s = {0};
        deflateInit2(&s, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
        if (level == 6) deflateTune(&s, 8, 16, 64, 64);
        s.next_in = in[i];
        s.avail_in = len[i];
        s.next_out = out;
        s.avail_out = outcap;
        deflate(&s, Z_FINISH);
        total += s.total_out;
        deflateEnd(&s);
      }
    printf("zlib %d%s: %.3f ms/page  %zu bytes/page\n", level, level == 6 ? " tuned" : "", (cpu() - t) * 1000 / (rounds * n), total / (rounds * n));
  }
  return 0;
}
