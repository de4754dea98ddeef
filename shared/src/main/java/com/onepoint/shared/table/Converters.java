package com.onepoint.shared.table;

import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.Rate;
import software.amazon.awssdk.enhanced.dynamodb.AttributeConverter;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.EnumAttributeConverter;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.function.Function;

/**
 * The attribute converters the table schemas use for OnePoint's own types. Each keeps the stored form the tables
 * have always had, so items written before the schemas read back unchanged.
 */
public final class Converters {
    /** ISO-8601 UTC, {@link Instant#toString()}: what the API shows and what sorts within one precision. */
    public static final AttributeConverter<Instant> INSTANT = new Of<>(Instant.class, AttributeValueType.S,
            i -> AttributeValue.fromS(i.toString()), v -> Instant.parse(v.s()));
    /** Epoch seconds as a number: the form DynamoDB's TTL reads. */
    public static final AttributeConverter<Instant> EPOCH_SECONDS = new Of<>(Instant.class, AttributeValueType.N,
            i -> AttributeValue.fromN(Long.toString(i.getEpochSecond())), v -> Instant.ofEpochSecond(Long.parseLong(v.n())));
    /** A rate as its exact decimal number ("0.01"), never a binary double. */
    public static final AttributeConverter<Rate> RATE = new Of<>(Rate.class, AttributeValueType.N,
            r -> AttributeValue.fromN(r.toString()), v -> Rate.of(v.n()));
    /** The wire word ("earn", "use"), as the API spells it. */
    public static final AttributeConverter<DealType> DEAL_TYPE = new Of<>(DealType.class, AttributeValueType.S,
            t -> AttributeValue.fromS(t.wire()), v -> DealType.fromWire(v.s())
                    .orElseThrow(() -> new IllegalArgumentException("unknown deal type " + v.s())));

    private Converters() {
    }

    /** An enum stored by its {@code name()}, the form every status attribute has. */
    public static <E extends Enum<E>> AttributeConverter<E> byName(Class<E> type) {
        return EnumAttributeConverter.createWithNameAsKeys(type);
    }

    private record Of<T>(Class<T> javaType, AttributeValueType attributeValueType, Function<T, AttributeValue> to,
                         Function<AttributeValue, T> from) implements AttributeConverter<T> {
        @Override
        public AttributeValue transformFrom(T input) {
            return to.apply(input);
        }

        @Override
        public T transformTo(AttributeValue input) {
            return from.apply(input);
        }

        @Override
        public EnhancedType<T> type() {
            return EnhancedType.of(javaType);
        }
    }
}
