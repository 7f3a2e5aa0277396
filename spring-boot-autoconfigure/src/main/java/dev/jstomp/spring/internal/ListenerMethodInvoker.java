package dev.jstomp.spring.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.ValueConstants;
import org.springframework.util.ReflectionUtils;

import dev.jstomp.StompFrame;
import dev.jstomp.StompMessage;

import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;

/**
 * Calls one listener method with a message: resolves each parameter (the message, {@code @Header} values,
 * the payload by its declared type, generics included) when the method is registered, so a message only
 * fills in values.
 */
final class ListenerMethodInvoker {

    private interface Argument {
        @Nullable Object resolve(StompMessage message);
    }

    private final Object bean;
    private final Method method;
    private final String description;
    private final Argument[] arguments;

    ListenerMethodInvoker(Object bean, Method method, @Nullable ObjectMapper mapper, ConversionService conversion) {
        this.bean = bean;
        this.method = method;
        this.description = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        ReflectionUtils.makeAccessible(method);
        Parameter[] parameters = method.getParameters();
        arguments = new Argument[parameters.length];
        boolean payloadSeen = false;
        for (int i = 0; i < parameters.length; i++) {
            MethodParameter parameter = new MethodParameter(method, i);
            Class<?> type = parameter.getParameterType();
            Header header = parameter.getParameterAnnotation(Header.class);
            if (header != null) {
                arguments[i] = header(parameter, header, conversion);
            } else if (type == StompMessage.class || type == StompFrame.class) {
                arguments[i] = message -> message;
            } else {
                if (payloadSeen) {
                    throw new IllegalStateException("@StompListener " + description + " has two payload parameters;"
                            + " a method takes one payload, the StompMessage and @Header values");
                }
                payloadSeen = true;
                arguments[i] = payload(type, parameter.getGenericParameterType(), mapper);
            }
        }
    }

    String description() {
        return description;
    }

    /** Calls the method; what it throws comes out unwrapped. */
    void invoke(StompMessage message) throws Throwable {
        Object[] values = new Object[arguments.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = arguments[i].resolve(message);
        }
        try {
            method.invoke(bean, values);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Argument header(MethodParameter parameter, Header header, ConversionService conversion) {
        String name = !header.name().isEmpty() ? header.name() : !header.value().isEmpty() ? header.value()
                : parameter.getParameterName();
        if (name == null) {
            throw new IllegalStateException("@Header on " + description + " needs a name: @Header(\"name\")"
                    + " (or compile with -parameters)");
        }
        TypeDescriptor target = new TypeDescriptor(parameter);
        String fallback = ValueConstants.DEFAULT_NONE.equals(header.defaultValue()) ? null : header.defaultValue();
        boolean required = header.required() && fallback == null;
        return message -> {
            String value = message.header(name);
            if (value == null) {
                value = fallback;
            }
            if (value == null) {
                if (required) {
                    throw new IllegalArgumentException("The message has no '" + name + "' header, which " + description
                            + " requires (use @Header(name = \"" + name + "\", required = false) to allow that)");
                }
                return null;
            }
            return conversion.convert(value, TypeDescriptor.valueOf(String.class), target);
        };
    }

    private Argument payload(Class<?> type, Type generic, @Nullable ObjectMapper mapper) {
        if (type == String.class) {
            return StompFrame::body;
        }
        if (type == byte[].class) {
            return StompFrame::binaryBody;
        }
        if (mapper == null) {
            throw new IllegalStateException("@StompListener " + description + " takes a " + type.getName()
                    + " payload, read as JSON, but there is no Jackson ObjectMapper; add spring-boot-starter-jackson"
                    + " or take a String or byte[]");
        }
        JavaType javaType = mapper.constructType(generic);
        return message -> {
            byte[] body = message.binaryBody();
            if (body.length == 0) {
                throw new IllegalArgumentException("Empty body; " + description + " expects a " + javaType + " as JSON");
            }
            Object value = mapper.readValue(body, javaType);
            if (value == null) {
                throw new IllegalArgumentException("The body is JSON null; " + description + " expects a " + javaType);
            }
            return value;
        };
    }
}
