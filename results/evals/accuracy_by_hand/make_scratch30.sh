#!/bin/sh
# The thirtieth by-hand round's scratch folder: a small C program built with make (sources,
# a header, a Makefile, a one-file hello.c, object files and a built binary).
set -e
d=${1:-/tmp/scratch30}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > hello.c <<'C'
#include <stdio.h>

int main(void) {
    printf("hello\n");
    return 0;
}
C
cat > util.h <<'C'
#ifndef UTIL_H
#define UTIL_H
int add(int a, int b);
int square(int x);
#endif
C
cat > util.c <<'C'
#include "util.h"

/* TODO: check for overflow */
int add(int a, int b) { return a + b; }

int square(int x) { return x * x; }
C
cat > main.c <<'C'
#include <stdio.h>
#include <math.h>
#include "util.h"

int main(void) {
    /* TODO: read the numbers from argv */
    printf("%d %d %.1f\n", add(2, 3), square(4), sqrt(2.0));
    return 0;
}
C
printf 'CC = gcc\nCFLAGS = -O2\n\napp: main.o util.o\n\t$(CC) -o app main.o util.o -lm\n\nmain.o: main.c util.h\nutil.o: util.c util.h\n\nclean:\n\trm -f app *.o\n\n.PHONY: clean\n' > Makefile
make -s >/dev/null 2>&1
