#!/bin/sh
# The forty-ninth by-hand round's scratch folder: a Java program built with Maven (a pom.xml
# with dependencies, a test dependency, a main class run by exec-maven-plugin and a profile;
# not built yet).
set -e
d=${1:-/tmp/scratch49}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > pom.xml <<'POM'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>invoice-tool</artifactId>
  <version>2.2.0-SNAPSHOT</version>
  <packaging>jar</packaging>

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
      <groupId>org.apache.commons</groupId>
      <artifactId>commons-csv</artifactId>
      <version>1.11.0</version>
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
        <version>3.3.0</version>
        <configuration>
          <mainClass>com.example.invoice.App</mainClass>
        </configuration>
      </plugin>
    </plugins>
  </build>

  <profiles>
    <profile>
      <id>integration</id>
      <properties>
        <skipITs>false</skipITs>
      </properties>
    </profile>
  </profiles>
</project>
POM
mkdir -p src/main/java/com/example/invoice src/test/java/com/example/invoice
cat > src/main/java/com/example/invoice/App.java <<'J'
package com.example.invoice;

public class App {
    public static void main(String[] args) {
        System.out.println("invoice-tool");
    }
}
J
cat > src/main/java/com/example/invoice/InvoiceParser.java <<'J'
package com.example.invoice;

public class InvoiceParser {
    public double total(String csv) {
        return 0;
    }
}
J
cat > src/test/java/com/example/invoice/InvoiceParserTest.java <<'J'
package com.example.invoice;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InvoiceParserTest {
    @Test
    void parsesTotals() {
        assertEquals(0, new InvoiceParser().total(""));
    }

    @Test
    void rejectsBadRows() {
    }
}
J
cat > src/test/java/com/example/invoice/AppTest.java <<'J'
package com.example.invoice;

import org.junit.jupiter.api.Test;

class AppTest {
    @Test
    void starts() {
    }
}
J
printf '# invoice-tool\n\nReads invoices.\n' > README.md
