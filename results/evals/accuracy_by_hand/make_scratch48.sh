#!/bin/sh
# The forty-eighth by-hand round's scratch folder: a C program and library built with CMake
# (a CMakeLists.txt with a program, a library, a test and an option; not configured yet).
set -e
d=${1:-/tmp/scratch48}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > CMakeLists.txt <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(wordstat VERSION 1.4.0 LANGUAGES C)

set(CMAKE_C_STANDARD 11)
option(WORDSTAT_WITH_COLOR "Colour the output" ON)

add_library(wordstat_core src/count.c)
target_include_directories(wordstat_core PUBLIC include)

add_executable(wordstat src/main.c)
target_link_libraries(wordstat PRIVATE wordstat_core)

enable_testing()
add_executable(test_count tests/test_count.c)
target_link_libraries(test_count PRIVATE wordstat_core)
add_test(NAME count_words COMMAND test_count)

install(TARGETS wordstat DESTINATION bin)
CMAKE
mkdir -p src include tests
cat > include/count.h <<'C'
int count_words(const char *text);
C
cat > src/count.c <<'C'
#include <ctype.h>
#include "count.h"
int count_words(const char *text) {
    int n = 0, in = 0;
    for (; *text; text++) {
        if (isspace((unsigned char)*text)) in = 0;
        else if (!in) { in = 1; n++; }
    }
    return n;
}
C
cat > src/main.c <<'C'
#include <stdio.h>
#include "count.h"
int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) printf("%d\n", count_words(argv[i]));
    return 0;
}
C
cat > tests/test_count.c <<'C'
#include "count.h"
int main(void) { return count_words("a b  c") == 3 ? 0 : 1; }
C
printf '# wordstat\n\nCounts words.\n' > README.md
