package com.onepoint.shared.json;

/** Text that is not one well-formed JSON value; the message says what and where, never the text itself. */
public final class JsonSyntaxException extends IllegalArgumentException {
    JsonSyntaxException(String message) {
        super(message);
    }
}
