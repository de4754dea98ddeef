package com.onepoint.devkit;

/** What {@code !Ref} and {@code !GetAtt} of a resource resolve to in a given environment (local emulators). */
public interface ResourceRefs {
    /** The value of {@code !Ref logicalId}, or null when this environment does not provide that resource. */
    String ref(String logicalId);

    /** The value of {@code !GetAtt logicalId.attribute}, or null when unknown. */
    String getAtt(String logicalId, String attribute);
}
