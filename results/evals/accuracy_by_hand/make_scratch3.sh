#!/bin/sh
# The scratch home folder of the third by-hand round (acc3.txt): run in an empty directory.
set -e
mkdir -p Music/albums/live Documents/invoices Documents/letters Pictures/2025 Pictures/2026 Downloads site/assets/css site/assets/js notebooks .config/app
for i in 1 2 3; do head -c $((i*300000)) /dev/urandom > Music/albums/track0$i.mp3; done
head -c 500000 /dev/urandom > Music/albums/live/encore.flac
printf 'invoice,amount,paid\nINV-001,120.50,yes\nINV-002,80.00,no\nINV-003,300.25,yes\nINV-004,45.10,no\n' > Documents/invoices/2026.csv
printf 'Dear Sam,\nThanks for the visit.\nBest,\nAlex\n' > Documents/letters/sam.txt
printf 'Dear Kim,\nSee you soon.\nAlex\n' > Documents/letters/kim.txt
for y in 2025 2026; do for n in a b c; do head -c 200000 /dev/urandom > Pictures/$y/img_$n.JPG; done; done
head -c 900000 /dev/urandom > Pictures/2026/panorama.png
head -c 2000000 /dev/urandom > Downloads/installer.deb
head -c 100 /dev/urandom > Downloads/notes.pdf; cp Downloads/notes.pdf "Downloads/notes (1).pdf"
printf 'hello\n' > Downloads/readme.txt
printf '<html>\n<head><link rel="stylesheet" href="assets/css/main.css"></head>\n<body><h1>Hi</h1><img src="logo.png"></body>\n</html>\n' > site/index.html
printf 'body { color: #333; }\nh1 { color: red; }\n' > site/assets/css/main.css
printf 'console.log("debug");\nfunction go() { console.log("go"); }\n' > site/assets/js/app.js
printf '{"cells": [], "nbformat": 4}\n' > notebooks/analysis.ipynb
printf 'theme=dark\nfont_size=12\nautosave=true\n' > .config/app/settings.conf
printf 'milk\neggs\nbread\nmilk\n' > shopping.txt
printf '#!/bin/sh\necho backup\n' > backup.sh
git init -q site && (cd site && git add . && git -c user.email=a@b -c user.name=A commit -qm init)
touch -d '10 days ago' Downloads/installer.deb
