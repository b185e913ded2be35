"""Write fixtures/cheats_home.json: the one fixture of the cheat-sheet set (see README.md).

    .venv/bin/python datasets/cheats/make_fixture.py

An ordinary user's home directory holding what the execution-judged requests name. Archives,
compressed files and the SQLite database are made here with fixed member times, so the same
Python (zlib, bz2, sqlite3) writes the same bytes; the certificate, signing request and keys
were generated once and are kept below as text.
"""

from __future__ import annotations

import base64
import bz2
import gzip
import hashlib
import io
import json
import sqlite3
import tarfile
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "fixtures" / "cheats_home.json"
EPOCH = 1_700_000_000  # member times inside archives (2023-11-14)

# Generated once with openssl req -x509 -newkey rsa:2048 (CN www.example.com) and
# ssh-keygen -t ed25519 -N hunter2; kept as text so the fixture can be rebuilt.
SERVER_CRT = """\
-----BEGIN CERTIFICATE-----
MIIDjTCCAnWgAwIBAgICEjQwDQYJKoZIhvcNAQELBQAwXzELMAkGA1UEBhMCUFQx
DzANBgNVBAgMBkxpc2JvYTEPMA0GA1UEBwwGTGlzYm9hMRQwEgYDVQQKDAtFeGFt
cGxlIEx0ZDEYMBYGA1UEAwwPd3d3LmV4YW1wbGUuY29tMB4XDTI2MTIwNjA0NTMz
MVoXDTM2MTIwMzA0NTMzMVowXzELMAkGA1UEBhMCUFQxDzANBgNVBAgMBkxpc2Jv
YTEPMA0GA1UEBwwGTGlzYm9hMRQwEgYDVQQKDAtFeGFtcGxlIEx0ZDEYMBYGA1UE
AwwPd3d3LmV4YW1wbGUuY29tMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKC
AQEAxIzAWKNb3d8nWris1aTm9SXKi5kWNhcj/w0vTbDddy4dtPP+dD0S7g5/ipKN
HhF2uJCV7TCH1Sj1ugQP6nzLRfsQRbi9e3OHm+688mc5YIjCo//MaX069m79tgnn
T/B7EedBjZyhrQWOwTvbsX/OFHnIrFN3lhav5U3rCvF9iaoj9HqiOwZIu9nvymTh
4roFpi2UP7GsWyfvbtvAC1C08o5PJTPhbezfPpUCfR5OpqQ2Gq6LxE9shzvFuFgm
LnF5c0ej+eFxdNAQIZAGO+6751n6uypDp+cfN2rV67JPQGvCbwvCKx3IKVA0pODi
VS69oYRLQ9pXKV4ZAUEevKrfpQIDAQABo1MwUTAdBgNVHQ4EFgQUm9LqNsd4wlmK
zf7pwPH3u/ApedgwHwYDVR0jBBgwFoAUm9LqNsd4wlmKzf7pwPH3u/ApedgwDwYD
VR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAWB5YMA0eJKhiJFTlSVmT
EIDpvFPD8gaakXNeT2LvYVtUFddAWpLjkPZ5NrSqh7HOJQTvHBBofypgQgIBrySj
LkxgA6glTPkbRVEjpZT0sq3mRd5sEyp/HNlLv1XNAIB86WEd1A2Rnk26w+LdJ1l6
7WEReciNjZP7KV9gTPmQUTssnge06o4j8ELZqjKCAGbJh6GJbpSDwo5oOUs9xe+J
lXPFoQ1u9f70UsN3bnCZpzH6NDu2edwHrIanz5V3GBDEgkdKgBR0qyhZfUCeBAOj
T8TxcJuveTrRE+bxz0RvgYOK3p0/tgiGaTd2Gl0SymNO2ETuCYkc9ucF2iVIC/6R
rg==
-----END CERTIFICATE-----
"""

SERVER_CSR = """\
-----BEGIN CERTIFICATE REQUEST-----
MIICpDCCAYwCAQAwXzELMAkGA1UEBhMCUFQxDzANBgNVBAgMBkxpc2JvYTEPMA0G
A1UEBwwGTGlzYm9hMRQwEgYDVQQKDAtFeGFtcGxlIEx0ZDEYMBYGA1UEAwwPd3d3
LmV4YW1wbGUuY29tMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxIzA
WKNb3d8nWris1aTm9SXKi5kWNhcj/w0vTbDddy4dtPP+dD0S7g5/ipKNHhF2uJCV
7TCH1Sj1ugQP6nzLRfsQRbi9e3OHm+688mc5YIjCo//MaX069m79tgnnT/B7EedB
jZyhrQWOwTvbsX/OFHnIrFN3lhav5U3rCvF9iaoj9HqiOwZIu9nvymTh4roFpi2U
P7GsWyfvbtvAC1C08o5PJTPhbezfPpUCfR5OpqQ2Gq6LxE9shzvFuFgmLnF5c0ej
+eFxdNAQIZAGO+6751n6uypDp+cfN2rV67JPQGvCbwvCKx3IKVA0pODiVS69oYRL
Q9pXKV4ZAUEevKrfpQIDAQABoAAwDQYJKoZIhvcNAQELBQADggEBAJNuFuxbOzwF
6HL8rDhLj8zYBTvjeJ7YIK1Q49dBCB3e5u1H38I8EOMYq6SKAaEwIttWYyqa+PK9
xHIbkp6Z+NvyCNBe1/MekxuMmzgvXPNJcIBo86j0gKTKN4s9X3lqqbxChdSFFP/t
OA65L9nghliRIUnpy6CL5i8VxvH6CVpVB6A6HmaJ2+UEVQ/pvm93XRIaKxzQ+ivc
tYicmZ9TWnsn1fCxAQ1oZVoJV+gy+JmBk0xxPyAcJmcrt7HXOvNiXAsIbqEAwqHF
pQS2Ql7F4/O/nIcd8yREFxbKBjJkAtlP1xTUP74KcMIxOSwQxJpCScIGMulB6fDT
08zxRsTlgP0=
-----END CERTIFICATE REQUEST-----
"""

SERVER_KEY = """\
-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDEjMBYo1vd3yda
uKzVpOb1JcqLmRY2FyP/DS9NsN13Lh208/50PRLuDn+Kko0eEXa4kJXtMIfVKPW6
BA/qfMtF+xBFuL17c4eb7rzyZzlgiMKj/8xpfTr2bv22CedP8HsR50GNnKGtBY7B
O9uxf84UecisU3eWFq/lTesK8X2JqiP0eqI7Bki72e/KZOHiugWmLZQ/saxbJ+9u
28ALULTyjk8lM+Ft7N8+lQJ9Hk6mpDYarovET2yHO8W4WCYucXlzR6P54XF00BAh
kAY77rvnWfq7KkOn5x83atXrsk9Aa8JvC8IrHcgpUDSk4OJVLr2hhEtD2lcpXhkB
QR68qt+lAgMBAAECggEAHP7ntFvbJmLwnxdd9gGnCdTaqdf6eR3WU17aUuOL9HRS
8RpKuFK3O3PbmHGQzHYGlelMmOp/K3DouVm2kGD7KvaEGskLeQ4c3CHu8XLNeeKL
Fl8bBJfzLh5HIwcYfwhK26QKXW4VQt1uRy8BtNCWMhqaQmPo4TU1G0awrVNdcgSr
NMxnuxnCA+GOiRiZENNB/aszaTRsPPb9rInXGpr+oMhwXaWInQ4cBziFcE/jwvEH
KAGv1MKiFYcqhGzF3kdaQdNYjgPzJmNksQk762Ng0LNjCHZdMfXEiaPYn4KitLAW
fgDN+skSC7F+ysrL+GSPu3b2v3LYEQ+1CK6KcCU3eQKBgQD8npDU0IgLWhDa9J7M
dP6fW9UFRn3l2aaOAHXeInozG+PFB1MzckWGtTbDrOB64jztYDvv+PTAFmzuqZJJ
7F+8eQq7BHKEvvA54bEt7OjP80PUDNHlBSXHCa16fT74DYPRlhEo+t+ckuB4lijd
m3D8xvUoX2PkZegYZM2kcjcyiQKBgQDHLhmbwWwNepSi7x+R4sjZTtlLYhZyCTv9
folEYKnU94EXGUr9ftC1pVWs5TDDyQrx00FoyqxeydXFBFHI0lFgzSfbL979fSL2
1vVVOws9DFQrrRwsZconu3LaZ+j/liBJ6ye0cGD+babozhbZwK8xieF8NNr5JN4o
y4p9qyPtPQKBgD6NdQd9a3KEJtBQ6lFuVu5W6vSXc+1Ka7eV3ZnXp7KoIUpUegGv
NhAZJypk0GEdTEDrJ2xQlSpLY0Xlr1emtD4TKtkMTN8Z+JocjKb2lt+HOTB0zDSN
hcE3YEGIaeM6VX28Txt6o4w9wl+ZrxzQtLWi/mm01SNlKIeBznn93jUhAoGBAK4x
F/5Km1fyYzlXjTGFt4es2IZ/wwd6IffhCOU+8GgrCL+NxDKMDLU/Yf0x94LSOPsi
eSrPTQ4c0BJcY7YQkVDqOrgLVqY0ITbk6WvflkWOmbIU0/XUE4bJ/XkatP+JaLWc
rX21Zm48sWMakYtgYxcc8ZExnGuVnaDp2TVsTaA1AoGBALrg4GZLNeJ8IOPnzzG6
+4IK65q4rmbITPUmy1gIMcPTy2+sccMvy/GGyP97gjHGGI93DebCroyGYQLFgiVt
+9pLO1LNyzwizDgl5k1S5l4zajgChaXn1lWXfOR/8c6tiHV69wNnu6IqaPzie4kA
lDNWo+fBzlfs9cti98pEZ4lm
-----END PRIVATE KEY-----
"""

ID_ED25519 = """\
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABDLt3RohE
nytCcgrzH7OHKdAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIJTqdkAtTxYqNgV2
j6Pg+htsFhQY1G6Jvm2SeoKcIPS7AAAAkCWsBo6/tLgZ7OXFZatiMwStcTA9VW90B97uzU
5NUZSL4Anosd9s37GMpuY1sG88ZRLpoVIVNcgNz1Q6NNFijQo6kZ7h+Eo/VysNQFn3Dqpz
sznKa4MJpd/2aW7u3tBeywfhPKRtuKja4729+JGsrOYrowRPZkR+jF/6x6Dbz+1u/yn7SR
EKpjtcYKjVwC+k/Q==
-----END OPENSSH PRIVATE KEY-----
"""

ID_ED25519_PUB = """\
ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJTqdkAtTxYqNgV2j6Pg+htsFhQY1G6Jvm2SeoKcIPS7 alice@laptop
"""


def noise(seed: str, size: int, head: bytes = b"") -> bytes:
    """Deterministic bytes standing in for a picture's data."""
    out = bytearray(head)
    block = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}:{block}".encode()).digest()
        block += 1
    return bytes(out[:size])


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


def gz(data: bytes, name: str = "") -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=buf, mtime=EPOCH) as f:
        f.write(data)
    return buf.getvalue()


def tar(members: list[tuple[str, bytes | None]], compress: bool) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.mtime = EPOCH
            info.uname = info.gname = "alice"
            info.uid = info.gid = 1000
            if data is None:
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                t.addfile(info)
            else:
                info.size = len(data)
                info.mode = 0o644
                t.addfile(info, io.BytesIO(data))
    return gz(raw.getvalue()) if compress else raw.getvalue()


def zipped(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2023, 11, 14, 22, 13, 20))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def ar(members: list[tuple[str, bytes]]) -> bytes:
    out = bytearray(b"!<arch>\n")
    for name, data in members:
        header = f"{name + '/':<16}{EPOCH:<12}{0:<6}{0:<6}{'100644':<8}{len(data):<10}`\n"
        out += header.encode()
        out += data
        if len(data) % 2:
            out += b"\n"
    return bytes(out)


def sqlite_db() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "systems.db"
        con = sqlite3.connect(path)
        con.execute("create table os(id integer primary key, name text, year integer)")
        con.executemany(
            "insert into os values (?, ?, ?)",
            [(2, "freebsd", 1993), (3, "openbsd", 1995), (4, "haiku", 2002)],
        )
        con.commit()
        con.close()
        return path.read_bytes()


def lines(*rows: str) -> str:
    return "".join(r + "\n" for r in rows)


NOTES = lines(
    "Meeting notes, Monday",
    "- ask Bob about the quarterly report",
    "- renew the domain before the end of the month",
    "- book the dentist",
    "Ideas: a cheaper backup plan, and a shared calendar for the team",
)
TODO = lines("buy milk", "call the landlord", "fix the bike tyre", "send the invoice to Carol")
FRUITS = lines(
    "banana", "apple", "cherry", "apple", "mango", "banana", "kiwi", "apple", "pear", "fig"
)
NAMES = lines("Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James")
STORY = (
    "Once upon a time there was a small fox who lived at the edge of a very old forest and "
    "liked to watch the travellers pass by on the road to the town.\n"
    "One winter the fox found a lost child in the snow, and the two of them walked together "
    "for three days until they reached the child's village.\n"
    "The villagers were so grateful that the fox never went hungry again, and they all lived "
    "happily ever after\n"
)
POEM = lines("Roses are red,", "violets are blue,", "sugar is sweet,", "and so are you.")
LETTER = (
    "Dear Mr. Smith,\n\n\nThank you for your letter of last week.\n\n\n\n"
    "I will send the documents on Friday.\n\nBest regards,\nAlice\n"
)
RECORDS = lines(
    "1001#2023-01-15#Widget#4#9.99",
    "1002#2023-01-16#Gadget#1#24.50",
    "1003#2023-02-02#Gizmo#12#3.75",
    "1004#2023-02-10#Widget#2#9.99",
)
FILE1 = lines("id,city", "1,Lisbon", "2,Porto", "3,Braga", "4,Faro", "5,Coimbra")
FILE2 = lines("id,city", "2,Porto", "4,Faro", "6,Aveiro", "7,Evora")
GUESTS_2023 = lines("Alice", "Bob", "Carol", "Dave", "Erin", "Frank")
GUESTS_2024 = lines("Bob", "Carol", "Grace", "Heidi", "Ivan")
NUMBERS = lines("12", "7", "30", "5", "46")
BOOK = lines(
    "Chapter 1",
    "It was a bright cold day in April.",
    "The clocks were striking thirteen.",
    "Chapter 2",
    "Nobody answered the door.",
    "Chapter 3",
    "The end of the road.",
)
USERS = {
    "users": [
        {"name": "Alice", "email": "alice@example.com", "role": "admin"},
        {"name": "Bob", "email": "bob@example.com", "role": "editor"},
        {"name": "Carol", "email": "carol@example.com", "role": "viewer"},
    ]
}
SETTINGS = lines("[general]", "theme = light", "language = en", "autosave = false")
SETTINGS_NEW = lines("[general]", "theme = dark", "language = en", "autosave = true")
FIX_PATCH = lines(
    "--- settings.ini",
    "+++ settings.ini",
    "@@ -1,4 +1,4 @@",
    " [general]",
    "-theme = light",
    "+theme = dark",
    " language = en",
    " autosave = false",
)
HOSTS_OLD = lines("# local names", "127.0.0.1 localhost", "192.168.1.10 nas")
HOSTS_NEW = lines(
    "# local names", "127.0.0.1 localhost", "192.168.1.10 nas", "192.168.1.20 printer"
)
HOSTS_PATCH = lines(
    "--- hosts.conf",
    "+++ hosts.conf",
    "@@ -1,3 +1,4 @@",
    " # local names",
    " 127.0.0.1 localhost",
    " 192.168.1.10 nas",
    "+192.168.1.20 printer",
)
HELLO_C = (
    '#include <stdio.h>\n\nint main(void)\n{\n    printf("Hello, world!\\n");\n    return 0;\n}\n'
)
HELLO_PY = 'print("Hello, world!")\n'
REPORT_PL = (
    "use strict;\nuse warnings;\n\nmy %sales = (north => 120, south => 95, east => 143);\n"
    'for my $region (sort keys %sales) {\n    printf "%-6s %4d\\n", $region, $sales{$region};\n}\n'
)
BACKUP_SH = (
    "#!/bin/sh\n# copy the documents to the backup folder\n"
    'echo "backing up Documents"\n'
    'echo "warning: Downloads skipped (too large)" >&2\n'
    'echo "done: 3 files"\n'
)
MYSCRIPT_SH = '#!/bin/sh\necho "hello from myscript"\n'
REPORT = lines("Quarterly report", "", "Revenue grew 4% over the last quarter.", "Costs were flat.")
REPORT_2022 = lines("Annual report 2022", "Revenue: 1.2M", "Employees: 14")
OLD_NOTES = lines("Old notes from 2021", "- move to the new flat", "- sell the car")
DATA_CSV = lines("date,temperature", "2023-07-01,28", "2023-07-02,31", "2023-07-03,27")


def log(kind: str, n: int) -> str:
    paths = ["/", "/about", "/blog", "/contact", "/images/logo.png", "/login"]
    codes = [200, 200, 304, 200, 404, 200, 500, 301]
    out = []
    for i in range(n):
        minute, second = divmod(i * 7, 60)
        hour = 9 + minute // 60
        ts = f"2023-11-14 {hour:02d}:{minute % 60:02d}:{second:02d}"
        if kind == "access":
            out.append(
                f'192.168.1.{10 + i % 40} - - [{ts}] "GET {paths[i % 6]} HTTP/1.1" '
                f"{codes[i % 8]} {512 + (i * 37) % 4096}"
            )
        elif kind == "server":
            level = ["INFO", "INFO", "WARN", "INFO", "ERROR"][i % 5]
            msg = ["request served", "cache refreshed", "slow query (2.1 s)", "user logged in",
                   "error: connection refused by db1"][i % 5]  # fmt: skip
            out.append(f"{ts} {level} {msg}")
        else:
            out.append(f"{ts} app[{100 + i % 9}]: job {i} finished in {(i * 13) % 97} ms")
    return "".join(line + "\n" for line in out)


def entries() -> list[dict]:
    def f(path: str, content: str | bytes, age: float, mode: str | None = None) -> dict:
        e: dict = {"path": path, "type": "file"}
        if isinstance(content, bytes):
            e["content_b64"] = base64.b64encode(content).decode()
        else:
            e["content"] = content
        e["age_days"] = age
        if mode:
            e["mode"] = mode
        return e

    def d(path: str, age: float | None = None, mode: str | None = None) -> dict:
        e: dict = {"path": path, "type": "dir"}
        if age is not None:
            e["age_days"] = age
        if mode:
            e["mode"] = mode
        return e

    beach = noise("beach", 5200, JPEG)
    sunset = noise("sunset", 3900, JPEG)
    family = noise("family", 2600, JPEG)
    icon = noise("icon", 180, PNG)
    cruise1 = noise("cruise1", 1500, JPEG)
    cruise2 = noise("cruise2", 1700, JPEG)
    website_index = "<!doctype html>\n<title>Alice's site</title>\n<h1>Hello</h1>\n"
    website_css = "body { font-family: sans-serif; }\nh1 { color: teal; }\n"
    app_log = log("app", 2100)
    backup_tgz = tar(
        [
            ("Documents-2022", None),
            ("Documents-2022/taxes.txt", b"Tax return 2022: filed on 2023-04-30\n"),
            ("Documents-2022/lease.txt", b"Flat lease, signed 2022-09-01, 12 months\n"),
        ],
        compress=True,
    )
    website_tar = tar(
        [("website", None), ("website/index.html", website_index.encode()),
         ("website/style.css", website_css.encode())],
        compress=False,
    )  # fmt: skip
    photos_zip = zipped([("beach.jpg", beach), ("sunset.jpg", sunset)])
    deb = ar(
        [
            ("debian-binary", b"2.0\n"),
            ("control.tar.gz", tar([("./control", b"Package: tool\nVersion: 1.0\nArchitecture: amd64\nMaintainer: Alice <alice@example.com>\nDescription: a small tool\n")], compress=True)),
            ("data.tar.gz", tar([("./usr", None), ("./usr/bin", None), ("./usr/bin/tool", b"#!/bin/sh\necho tool 1.0\n")], compress=True)),
        ]
    )  # fmt: skip
    manifest = b"Manifest-Version: 1.0\r\nMain-Class: com.example.App\r\nCreated-By: 17 (Eclipse Adoptium)\r\n\r\n"
    app_jar = zipped(
        [("META-INF/MANIFEST.MF", manifest), ("com/example/App.class", noise("class", 420, b"\xca\xfe\xba\xbe")),
         ("com/example/util/Strings.class", noise("strings", 310, b"\xca\xfe\xba\xbe")),
         ("config.properties", b"greeting=Hello\n")]
    )  # fmt: skip
    sums = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n"
        for name, data in (("backup.tar.gz", backup_tgz), ("photos.zip", photos_zip),
                           ("tool_1.0_amd64.deb", deb))
    )  # fmt: skip
    csv_rows = lines("id,product,qty", "1,apples,4", "2,pears,2", "3,plums,9", "4,figs,1")
    return [
        f("notes.txt", NOTES, 0.4),
        f("todo.txt", TODO, 1.3),
        f("fruits.txt", FRUITS, 6.2),
        f("names.txt", NAMES, 9.1),
        f("numbers.txt", NUMBERS, 3.3),
        f("story.txt", STORY, 21.5),
        f("poem.txt", POEM, 44.2),
        f("letter.txt", LETTER, 2.7),
        f("book.txt", BOOK, 63.1),
        f("records.txt", RECORDS, 15.6),
        f("file1.csv", FILE1, 4.2),
        f("file2.csv", FILE2, 4.1),
        f("guests-2023.txt", GUESTS_2023, 300.4),
        f("guests-2024.txt", GUESTS_2024, 12.8),
        f("users.json", json.dumps(USERS, indent=2) + "\n", 7.7),
        f("report.txt", REPORT, 0.9),
        f("report-2022.txt.bz2", bz2.compress(REPORT_2022.encode(), 9), 340.2),
        f("data.csv.bz2", bz2.compress(DATA_CSV.encode(), 9), 120.5),
        f("old-notes.txt.gz", gz(OLD_NOTES.encode(), "old-notes.txt"), 700.3),
        f("access.log", log("access", 40), 0.05),
        f("server.log", log("server", 30), 0.1),
        f("debug.log", log("server", 12), 0.2),
        f("app.log", app_log, 0.3),
        f("xaa", csv_rows[:30], 2.1),
        f("xab", csv_rows[30:], 2.1),
        f("settings.ini", SETTINGS, 10.4),
        f("config/settings.ini", SETTINGS_NEW, 1.2),
        f("fix.patch", FIX_PATCH, 1.1),
        f("hosts.conf", HOSTS_NEW, 5.5),
        f("hosts.patch", HOSTS_PATCH, 5.6),
        f("hello.c", HELLO_C, 30.2),
        f("hello.py", HELLO_PY, 30.3),
        f("report.pl", REPORT_PL, 18.4),
        f("backup.sh", BACKUP_SH, 50.3, "0755"),
        f("myscript.sh", MYSCRIPT_SH, 8.8, "0644"),
        f("server.crt", SERVER_CRT, 25.2),
        f("server.csr", SERVER_CSR, 25.2),
        f("server.key", SERVER_KEY, 25.2, "0600"),
        f("systems.db", sqlite_db(), 14.9),
        f("app.jar", app_jar, 11.6),
        f("backup.tar.gz", backup_tgz, 90.4),
        f("website.tar", website_tar, 33.3),
        f("photos.zip", photos_zip, 16.1),
        f("tool_1.0_amd64.deb", deb, 4.4),
        f("SHA256SUMS", sums, 4.3),
        {"path": "disk.img", "type": "file", "size": 8 * 1024 * 1024, "age_days": 60.2},
        {
            "path": "videos/holiday.mp4",
            "type": "file",
            "size": 6 * 1024 * 1024,
            "sparse": False,
            "age_days": 120.2,
        },
        {
            "path": "Music/podcast-episode-12.mp3",
            "type": "file",
            "size": 2_621_440,
            "sparse": False,
            "age_days": 33.8,
        },
        f("photos/beach.jpg", beach, 16.3),
        f("photos/sunset.jpg", sunset, 16.4),
        f("photos/family.jpg", family, 40.6),
        f("photos/icon.png", icon, 100.1),
        f("backup/photos/beach.jpg", beach, 90.5),
        f("backup/photos/family.jpg", family, 90.5),
        f("backup/todo.txt", TODO, 1.2),
        f("Desktop/todo.txt", TODO, 1.25),
        f("Desktop/cruise_pics/deck.jpg", cruise1, 200.2),
        f("Desktop/cruise_pics/harbour.jpg", cruise2, 200.3),
        f("Pictures/wallpaper.jpg", noise("wallpaper", 2200, JPEG), 500.1),
        f("Documents/cv.odt", noise("cv", 900, b"PK\x03\x04"), 150.2),
        f("Documents/manual.pdf", noise("manual", 1300, b"%PDF-1.4\n"), 75.5),
        f("Documents/shopping-list.txt", lines("eggs", "bread", "coffee"), 0.6),
        f("Downloads/invoice.pdf", noise("invoice", 1100, b"%PDF-1.4\n"), 3.1),
        {
            "path": "Downloads/ubuntu-22.04.iso",
            "type": "file",
            "size": 24 * 1024 * 1024,
            "age_days": 45.4,
        },
        f("Downloads/setup-notes.txt", lines("run ./configure", "then make"), 45.3),
        f("projects/website/index.html", website_index, 9.9),
        f("projects/website/style.css", website_css, 9.8),
        {"path": "latest", "type": "symlink", "target": "projects/website", "age_days": 9.7},
        f("old-project/README", lines("An old project, no longer maintained."), 900.2),
        f("old-project/src/main.py", HELLO_PY, 900.3),
        d("empty-dir", 20.5),
        f(".ssh/id_ed25519", ID_ED25519, 365.2, "0600"),
        f(".ssh/id_ed25519.pub", ID_ED25519_PUB, 365.2),
        d(".ssh", 365.1, "0700"),
        f(".bashrc", lines("# ~/.bashrc", "alias ll='ls -l'", "export EDITOR=nano"), 400.1),
    ]


def main() -> None:
    spec = {
        "description": (
            "An ordinary user's home directory for the cheat-sheet held-out set: notes, lists, "
            "a story and a letter, CSV and JSON files, logs (one of 2,100 lines), a patch and "
            "the file it applies to, C, Perl and shell sources, a certificate and signing "
            "request, an SSH key pair, a SQLite database, archives (tar, tar.gz, zip, jar, a "
            ".deb, .gz and .bz2 files) with fixed member times, pictures, PDFs, a sparse disk "
            "image and ISO, a 6 MiB video and a 2.5 MiB podcast (real bytes), Desktop/, Documents/, Downloads/, Pictures/, backup/, projects/ with "
            "a symlink to one, an old project and an empty directory."
        ),
        "entries": entries(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(spec['entries'])} entries)")


if __name__ == "__main__":
    main()
