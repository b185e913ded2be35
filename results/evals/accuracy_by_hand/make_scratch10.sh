#!/bin/sh
# The tenth by-hand round's scratch folder: a book being written (markdown chapters, a
# bibliography, figures, notes, a build script and its output).
set -e
d=${1:-/tmp/scratch10}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p chapters figures notes build
printf '# Chapter 1: Arrival\n\nAlice came to the town in the colour of autumn.\nTODO: check the date\n\nShe met Bob at the station. It was 1921.\n\n![The map](../figures/map.png)\n' > chapters/01-arrival.md
printf '# Chapter 2: The Letter\n\nBob wrote a letter to Alice. The colour of the ink was blue.\nThis is a very long line that goes on and on and on well past the eighty character limit of the house style.\n' > chapters/02-letter.md
printf '# Chapter 3: Departure\n\nTODO: rewrite the ending\nAlice left. Bob stayed.\n\n\n\nThe end.\n' > chapters/03-departure.md
printf '@book{smith1990,\n  title={Towns},\n  author={Smith},\n  year={1990}\n}\n@article{jones2001,\n  title={Letters},\n  author={Jones},\n  year={2001}\n}\n' > references.bib
printf 'PNG' > figures/map.png && printf 'PNG' > figures/station.png && printf 'JPG' > figures/cover.jpg
printf 'ideas for chapter 4\n- a storm\n- a wedding\n' > notes/ideas.txt
printf 'call the editor\nsend draft 2\n' > notes/todo.txt
printf '#!/bin/sh\npandoc chapters/*.md -o build/book.pdf\n' > build.sh && chmod +x build.sh
printf 'old pdf\n' > build/book.pdf
printf 'title: The Town\nauthor: A. Writer\n' > metadata.yaml
