"""A Java project built with Maven (cmdai.maven_project.maven_fact, cmdai.maven_fixes; the
forty-ninth by-hand round). Maven cannot fetch its plugins here, so its commands are checked
as text; the jar run is checked with javac, jar and java where they are installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.maven_project import maven_fact, parse_pom, read_pom

POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>invoice-tool</artifactId>
  <version>2.2.0-SNAPSHOT</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <jackson.version>2.17.1</jackson.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${jackson.version}</version>
    </dependency>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>5.10.2</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.codehaus.mojo</groupId>
        <artifactId>exec-maven-plugin</artifactId>
        <configuration><mainClass>com.example.invoice.App</mainClass></configuration>
      </plugin>
    </plugins>
  </build>
  <profiles><profile><id>integration</id></profile></profiles>
</project>
"""
APP = (
    "package com.example.invoice;\n\npublic class App {\n"
    '    public static void main(String[] args) { System.out.println("invoice-tool"); }\n}\n'
)
JAR = "target/invoice-tool-2.2.0-SNAPSHOT.jar"
TESTS = "src/test/java/com/example/invoice"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "pom.xml": POM,
            "src/main/java/com/example/invoice/App.java": APP,
            f"{TESTS}/InvoiceParserTest.java": "class InvoiceParserTest {}\n",
        },
    )


def test_the_project_is_shown_where_the_request_speaks_of_it(project: Path) -> None:
    shown = maven_fact("run the tests", project)
    assert shown == (
        "pom.xml",
        "Maven project com.example:invoice-tool 2.2.0-SNAPSHOT (jar); Java 17; dependencies: "
        "jackson-databind 2.17.1, junit-jupiter 5.10.2 (test); main class: "
        "com.example.invoice.App; profiles: integration; not built yet (no target/)",
    )
    assert maven_fact("which version of jackson-databind is used", project) is not None
    assert maven_fact("build it with the integration profile", project) is not None
    for request in ("count the lines of notes.txt", "show the disk usage", "list the files"):
        assert maven_fact(request, project) is None, request
    (project / "target").mkdir()
    assert (maven_fact("run the tests", project) or ("", ""))[1].endswith("; built")


@pytest.mark.parametrize(
    "text",
    [
        "not xml",
        "<html><body/></html>",  # not a Maven project
        '<!DOCTYPE project [<!ENTITY a "aaaa">]><project>&a;</project>',  # no DTD, ever
    ],
)
def test_what_is_not_a_pom_is_no_project(text: str, tmp_path: Path) -> None:
    assert parse_pom(text) is None
    write_files(tmp_path, {"pom.xml": text})
    assert read_pom(tmp_path) is None
    assert maven_fact("run the tests", tmp_path) is None


def test_a_module_inherits_its_parents_coordinates() -> None:
    pom = parse_pom(
        "<project><parent><groupId>org.acme</groupId><version>1.0</version></parent>"
        "<artifactId>core</artifactId><packaging>pom</packaging>"
        "<modules><module>api</module><module>web</module></modules></project>"
    )
    assert pom is not None
    assert (pom.group, pom.artifact, pom.version, pom.packaging) == (
        "org.acme",
        "core",
        "1.0",
        "pom",
    )
    assert pom.modules == ("api", "web")
    assert pom.jar == "target/core-1.0.pom"


@pytest.mark.parametrize(
    ("command", "request_text", "expected"),
    [
        ("mvn clean install -Pintegration", "run the tests", "mvn test"),
        (
            "mvn clean install -DskipTests",
            "run the tests without going to the network",
            "mvn -o test",
        ),
        (
            "mvn test -Dtest=com.example.invoice.parser.InvoiceParserTest",
            "run only the InvoiceParserTest tests",
            "mvn test -Dtest=InvoiceParserTest",
        ),
        (
            "mvn test -Dtest=com.example.invoice.parser.InvoiceParserTest#parsesTotals",
            "run the parsesTotals test in InvoiceParserTest",
            "mvn test -Dtest=InvoiceParserTest#parsesTotals",
        ),
        (
            'grep -r "jackson-databind" pom.xml',
            "which version of jackson does the project use",
            "mvn dependency:tree -Dincludes=:jackson-databind",
        ),
        ("mvn clean install -Pintegration", "run the app", "mvn compile exec:java"),
        (
            "mvn install:install-file -Dfile=pom.xml \\",
            "install it into my local maven repository",
            "mvn install",
        ),
        (
            "mvn dependency:tree -DoutputFile=dependency-tree.txt",
            "check for newer versions of the dependencies",
            "mvn versions:display-dependency-updates",
        ),
        (
            "mvn exec:java -Dexec.mainClass=com.example.invoice.App -Dexec.args=-Djava.version=17",
            "which Java version does the project target",
            "grep -n -E 'maven\\.compiler\\.(release|source|target)|java\\.version' pom.xml",
        ),
        (
            "mvn clean package",
            "package it and run the jar",
            f"mvn package && java -cp {JAR} com.example.invoice.App",
        ),
        (
            "mvn dependency:tree -DoutputFile=dependencies.txt",
            "find dependencies that are declared but not used",
            "mvn dependency:analyze",
        ),
    ],
)
def test_another_task_or_a_made_up_package_is_mavens_own_way(
    project: Path, command: str, request_text: str, expected: str
) -> None:
    assert fixed(command, request_text, project) == expected


@pytest.mark.parametrize(
    ("command", "request_text"),
    [
        ("mvn test", "run the tests"),
        ("mvn -o test", "run the tests offline"),
        ("mvn test -Dtest=InvoiceParserTest", "run only the InvoiceParserTest tests"),
        ("mvn test -Dtest=com.example.invoice.InvoiceParserTest", "run that test"),  # exists
        ("mvn clean install -Pintegration", "build it with the integration profile"),
        ("mvn dependency:tree | grep jackson", "which version of jackson does the project use"),
        ("mvn clean package -DskipTests", "package it without running the tests"),
        ("pytest tests", "run the tests"),  # not a program these fixes replace
        ("tox -e py36", "Run tests on a specific environment"),
        ("ldd --unused path/to/binary", "Display unused direct dependencies"),
        ("./gradlew test", "run the tests with gradle"),
        ("ls -l", "list the files"),
    ],
)
def test_a_right_draft_or_another_way_is_left_alone(
    project: Path, command: str, request_text: str
) -> None:
    assert fixed(command, request_text, project) is None


def test_nothing_is_fixed_without_a_maven_project(tmp_path: Path) -> None:
    assert fixed("mvn clean install -Pintegration", "run the tests", tmp_path) is None
    write_files(tmp_path, {"pom.xml": "<html/>"})
    assert fixed("mvn clean install -Pintegration", "run the tests", tmp_path) is None


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("javac", "jar", "java")), reason="no JDK here"
)
def test_the_jar_without_a_main_class_runs_with_the_class_named(project: Path) -> None:
    # What `mvn package` writes for this pom (no Main-Class in its manifest), made here with
    # the JDK's own tools, since Maven cannot fetch its plugins offline.
    subprocess.run(
        ["javac", "-d", "target/classes", "src/main/java/com/example/invoice/App.java"],
        cwd=project,
        check=True,
    )
    subprocess.run(["jar", "cf", JAR, "-C", "target/classes", "."], cwd=project, check=True)
    assert run_bash(f"java -jar {JAR}", project, check=False).returncode != 0  # no manifest
    assert run_bash(f"java -cp {JAR} com.example.invoice.App", project).stdout == "invoice-tool\n"
