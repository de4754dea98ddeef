package com.onepoint.devkit;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loads a CloudFormation YAML template, turning the short tags ({@code !Ref}, {@code !GetAtt}, {@code !Sub}, ...)
 * into their long JSON forms ({@code {"Ref": x}}, {@code {"Fn::GetAtt": [r, a]}}, ...), as CloudFormation does.
 */
public final class CfnYaml {
    private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "Equals", "And", "Or", "Not", "If",
            "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub", "Transform", "ToJsonString",
            "Length");

    private CfnYaml() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object root = new Yaml(new Constructor()).load(reader);
            if (!(root instanceof Map)) {
                throw new IllegalArgumentException(file + " is not a YAML mapping");
            }
            return (Map<String, Object>) root;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static final class Constructor extends SafeConstructor {
        Constructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            for (String fn : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + fn), new Intrinsic("Fn::" + fn));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    // !GetAtt Table.StreamArn is the short form of [Table, StreamArn]
                    value = key.equals("Fn::GetAtt") ? Arrays.asList(text.split("\\.", 2)) : text;
                } else if (node instanceof SequenceNode seq) {
                    value = constructSequence(seq);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(key, value);
            }
        }
    }
}
