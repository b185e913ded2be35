#!/bin/sh
# The thirty-ninth by-hand round's scratch folder: a Rust crate built with Cargo (a binary
# with a library, an example, a feature and one dependency), its build outputs not yet made.
set -e
d=${1:-/tmp/scratch39}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > Cargo.toml <<'TOML'
[package]
name = "wordcount"
version = "0.2.0"
edition = "2021"

[dependencies]
regex = "1"

[features]
json = []
TOML
mkdir -p src examples tests
cat > src/main.rs <<'RS'
use std::env;
use std::fs;

fn main() {
    let path = env::args().nth(1).unwrap_or_else(|| "input.txt".to_string());
    let text = fs::read_to_string(&path).expect("cannot read the file");
    println!("{}", wordcount::count_words(&text));
}
RS
cat > src/lib.rs <<'RS'
pub fn count_words(text: &str) -> usize {
    text.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words() {
        assert_eq!(count_words("a b c"), 3);
    }

    #[test]
    fn empty_text() {
        println!("checking the empty text");
        assert_eq!(count_words(""), 0);
    }
}
RS
printf 'fn main() {\n    println!("{}", wordcount::count_words("one two"));\n}\n' > examples/demo.rs
printf 'the quick brown fox\njumps over the lazy dog\n' > input.txt
printf '/target\n' > .gitignore
