package com.onepoint.devkit;

/** A template construct the local tooling cannot honour. Names the resource and property: never a silent skip. */
public class UnsupportedTemplateException extends RuntimeException {
    public UnsupportedTemplateException(String where, String what) {
        super(where + ": " + what);
    }
}
