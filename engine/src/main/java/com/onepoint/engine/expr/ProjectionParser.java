package com.onepoint.engine.expr;

import com.onepoint.engine.expr.Lexer.Token;

/**
 * projection := path (',' path)*. No keywords: every bare name is checked against the reserved words. Errors other
 * than syntax take DynamoDB's precedence: reserved word, undefined name, overlapping paths, conflicting paths.
 */
final class ProjectionParser extends ParserBase {
    ProjectionParser(String text, Placeholders placeholders) {
        super(text, "ProjectionExpression", placeholders);
    }

    @Override
    boolean isKeyword(Token t) {
        return false;
    }

    Projection parse() {
        checkDistinctPath(parsePath());
        while (at(",")) {
            pos++;
            checkDistinctPath(parsePath());
        }
        if (!atEnd()) {
            throw syntaxError();
        }
        throwFirst(Slot.RESERVED, Slot.NAME, Slot.OVERLAP, Slot.CONFLICT);
        return Projection.of(writtenPaths());
    }
}
