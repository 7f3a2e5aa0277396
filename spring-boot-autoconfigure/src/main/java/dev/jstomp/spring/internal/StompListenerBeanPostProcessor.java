package dev.jstomp.spring.internal;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.convert.support.DefaultConversionService;

import dev.jstomp.spring.JstompProperties;
import dev.jstomp.spring.StompListener;

import tools.jackson.databind.ObjectMapper;

/**
 * Finds {@link StompListener} methods on every bean, resolves their placeholders and SpEL, and hands
 * them to the {@link ListenerRegistry} once all singletons exist (before the client connects).
 */
public final class StompListenerBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

    private @Nullable ConfigurableBeanFactory beanFactory;
    private final List<Map.Entry<Object, Method>> found = new ArrayList<>();

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> target = AopUtils.getTargetClass(bean);
        Map<Method, StompListener> methods = MethodIntrospector.selectMethods(target,
                (MethodIntrospector.MetadataLookup<StompListener>) method ->
                        AnnotatedElementUtils.findMergedAnnotation(method, StompListener.class));
        for (Method method : methods.keySet()) {
            synchronized (found) {
                found.add(Map.entry(bean, AopUtils.selectInvocableMethod(method, bean.getClass())));
            }
        }
        return bean;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ConfigurableBeanFactory factory = Objects.requireNonNull(beanFactory);
        ListenerRegistry registry = factory.getBean(ListenerRegistry.class);
        boolean defaultAutoStartup = factory.getBean(JstompProperties.class).getListener().isAutoStartup();
        ObjectMapper mapper = factory.getBeanProvider(ObjectMapper.class).getIfAvailable();
        List<Map.Entry<Object, Method>> methods;
        synchronized (found) {
            methods = List.copyOf(found);
            found.clear();
        }
        for (Map.Entry<Object, Method> listener : methods) {
            registry.register(endpoint(listener.getKey(), listener.getValue(), mapper, defaultAutoStartup));
        }
    }

    private ListenerEndpoint endpoint(Object bean, Method method, @Nullable ObjectMapper mapper, boolean defaultAutoStartup) {
        StompListener annotation = AnnotatedElementUtils.findMergedAnnotation(method, StompListener.class);
        String where = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        String destination = resolve(Objects.requireNonNull(annotation).destination());
        if (destination.isBlank()) {
            throw new IllegalStateException("@StompListener " + where + " has no destination");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header : annotation.headers()) {
            String resolved = resolve(header);
            int eq = resolved.indexOf('=');
            if (eq <= 0) {
                throw new IllegalStateException("@StompListener " + where + ": header '" + resolved
                        + "' is not of the form name=value");
            }
            headers.put(resolved.substring(0, eq).trim(), resolved.substring(eq + 1).trim());
        }
        int concurrency;
        String concurrencyText = resolve(annotation.concurrency());
        try {
            concurrency = Integer.parseInt(concurrencyText.trim());
        } catch (NumberFormatException e) {
            concurrency = 0;
        }
        if (concurrency < 1) {
            throw new IllegalStateException("@StompListener " + where + ": concurrency must be a number >= 1, was '"
                    + concurrencyText + "'");
        }
        if (concurrency > 1 && headers.containsKey("id")) {
            throw new IllegalStateException("@StompListener " + where + ": an 'id' header names one subscription,"
                    + " so concurrency must be 1");
        }
        String autoStartupText = resolve(annotation.autoStartup()).trim();
        boolean autoStartup = autoStartupText.isEmpty() ? defaultAutoStartup : Boolean.parseBoolean(autoStartupText);
        String id = resolve(annotation.id());
        ListenerMethodInvoker invoker = new ListenerMethodInvoker(bean, method, mapper,
                DefaultConversionService.getSharedInstance());
        return new ListenerEndpoint(id.isBlank() ? where : id, destination, Map.copyOf(headers), autoStartup,
                concurrency, invoker);
    }

    /** Placeholders first, then SpEL, as Spring AMQP and Spring Kafka resolve theirs. */
    private String resolve(String value) {
        ConfigurableBeanFactory factory = Objects.requireNonNull(beanFactory);
        String resolved = factory.resolveEmbeddedValue(value);
        if (resolved == null) {
            return "";
        }
        if (factory.getBeanExpressionResolver() != null && resolved.contains("#{")) {
            Object evaluated = factory.getBeanExpressionResolver().evaluate(resolved, new BeanExpressionContext(factory, null));
            return evaluated == null ? "" : evaluated.toString();
        }
        return resolved;
    }
}
