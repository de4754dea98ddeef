package com.onepoint.local.bench;

import com.onepoint.devkit.SamTemplate;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DealFunction's artifact as Lambda runs it: the minimized jar from the template's CodeUri, in a JVM of its own,
 * called as the Java runtime calls a stream handler, answers every kind of answer its routes give (a class the
 * minimizer cut would fail here, not in AWS), and carries no JSON library besides the SDK's own shaded one.
 */
class DealArtifactTest {
    @Test
    void theMinimizedJarAnswersEveryKindOfRequest() throws Exception {
        SamTemplate sam = SamTemplate.load(Path.of("template.yaml"));
        Path artifact = Path.of(String.valueOf(sam.resource(ColdStartBenchmark.FUNCTION).properties().get("CodeUri")));
        assertTrue(Files.exists(artifact), "package the deal function first: " + artifact);

        String check = ColdStartBenchmark.checkArtifact(sam, artifact); // throws with the child's output otherwise

        assertTrue(check.contains("overdraft 409"), check);
    }

    @Test
    void theJarCarriesNoSecondJsonLibraryNorTestTools() throws Exception {
        SamTemplate sam = SamTemplate.load(Path.of("template.yaml"));
        Path artifact = Path.of(String.valueOf(sam.resource(ColdStartBenchmark.FUNCTION).properties().get("CodeUri")));
        try (ZipFile jar = new ZipFile(artifact.toFile())) {
            assertFalse(jar.stream().anyMatch(e -> e.getName().startsWith("com/fasterxml/jackson/databind/")
                    || e.getName().startsWith("com/fasterxml/jackson/core/")), "Jackson databind or core in " + artifact);
            assertFalse(jar.stream().anyMatch(e -> e.getName().startsWith("software/amazon/lambda/powertools/")
                    || e.getName().startsWith("org/aspectj/") || e.getName().startsWith("org/joda/")), "Powertools, AspectJ or joda-time in " + artifact);
            assertFalse(jar.stream().anyMatch(e -> e.getName().startsWith("com/onepoint/engine/")
                    || e.getName().startsWith("org/junit/") || e.getName().startsWith("org/elasticmq/")), "an emulator or test tool in " + artifact);
        }
    }
}
