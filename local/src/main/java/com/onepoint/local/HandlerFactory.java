package com.onepoint.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.onepoint.devkit.UnsupportedTemplateException;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a function's handler once, at startup, by the constructor convention of OnePoint: the public constructor
 * with the most parameters whose types the registry can all supply (the embedded DynamoDbClient, the function's Env,
 * a Clock, later SQS/EventBridge clients). The no-arg constructor, which builds real AWS clients, is the last resort.
 */
final class HandlerFactory {
    private HandlerFactory() {
    }

    static RequestHandler<?, ?> create(FunctionSpec spec, Map<Class<?>, Object> registry, String where) {
        Class<?> type;
        try {
            type = Class.forName(spec.handlerClass());
        } catch (ClassNotFoundException e) {
            throw new UnsupportedTemplateException(where, "class " + spec.handlerClass()
                    + " is not on the local runtime's classpath (add its module to local/pom.xml)");
        }
        if (!RequestHandler.class.isAssignableFrom(type)) {
            throw new UnsupportedTemplateException(where, spec.handlerClass() + " does not implement RequestHandler");
        }
        Constructor<?> chosen = chooseConstructor(type, registry, where);
        Object[] args = Arrays.stream(chosen.getParameterTypes()).map(registry::get).toArray();
        try {
            return (RequestHandler<?, ?>) chosen.newInstance(args);
        } catch (InvocationTargetException e) {
            // a cold-start failure (e.g. a missing environment variable): say which function, keep the cause
            throw new IllegalStateException(spec.logicalId() + ": " + spec.handlerClass() + " failed to initialise: "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(spec.logicalId() + ": cannot instantiate " + spec.handlerClass(), e);
        }
    }

    static Constructor<?> chooseConstructor(Class<?> type, Map<Class<?>, Object> registry, String where) {
        List<Constructor<?>> satisfiable = Arrays.stream(type.getConstructors())
                .filter(c -> Arrays.stream(c.getParameterTypes()).allMatch(registry::containsKey))
                .sorted((a, b) -> b.getParameterCount() - a.getParameterCount())
                .toList();
        if (satisfiable.isEmpty()) {
            throw new UnsupportedTemplateException(where, "no public constructor of " + type.getName()
                    + " takes only types the local runtime supplies: " + registry.keySet().stream().map(Class::getSimpleName).sorted().toList());
        }
        if (satisfiable.size() > 1 && satisfiable.get(0).getParameterCount() == satisfiable.get(1).getParameterCount()) {
            throw new UnsupportedTemplateException(where, type.getName() + " has two satisfiable public constructors with "
                    + satisfiable.get(0).getParameterCount() + " parameters; the choice would be arbitrary");
        }
        return satisfiable.get(0);
    }

    /** The event type I of the handler's {@code RequestHandler<I, O>}, following generic superclasses. */
    static Class<?> inputType(Class<?> handlerClass) {
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        for (Class<?> c = handlerClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Type itf : c.getGenericInterfaces()) {
                if (itf instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return raw(p.getActualTypeArguments()[0], bindings);
                }
            }
            if (c.getGenericSuperclass() instanceof ParameterizedType p) {
                TypeVariable<?>[] vars = ((Class<?>) p.getRawType()).getTypeParameters();
                for (int i = 0; i < vars.length; i++) {
                    bindings.put(vars[i], p.getActualTypeArguments()[i]);
                }
            }
        }
        return Object.class; // a raw RequestHandler: the runtime would hand it a Map, as Lambda does
    }

    private static Class<?> raw(Type type, Map<TypeVariable<?>, Type> bindings) {
        while (type instanceof TypeVariable<?> v && bindings.containsKey(v)) {
            type = bindings.get(v);
        }
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }
}
