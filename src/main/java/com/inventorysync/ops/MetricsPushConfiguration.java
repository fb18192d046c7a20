package com.inventorysync.ops;

import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusProperties;
import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The push of a run's meters to a Prometheus Pushgateway, on when
 * {@code management.prometheus.metrics.export.pushgateway.enabled=true} (off by default: then no
 * connection is ever attempted). {@link RunMetricsPush} takes the place of Boot's
 * {@link PrometheusPushGatewayManager}, which would push every {@code push-rate} to one group for
 * every job, overwriting the meters' {@code job} tag and, with a PUT, the other jobs' last runs.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(PushGateway.class)
@ConditionalOnBooleanProperty("management.prometheus.metrics.export.pushgateway.enabled")
public class MetricsPushConfiguration {

    @Bean
    RunMetricsPush runMetricsPush(
            ObjectProvider<PrometheusRegistry> registry,
            ObjectProvider<PrometheusProperties> properties,
            RunMetrics runs,
            ShutdownProperties shutdown) {
        PrometheusRegistry prometheus = registry.getIfAvailable();
        PrometheusProperties settings = properties.getIfAvailable();
        if (prometheus == null || settings == null) {
            throw new IllegalStateException(
                    "management.prometheus.metrics.export.pushgateway.enabled is true but the Prometheus "
                            + "registry is off: remove management.prometheus.metrics.export.enabled=false");
        }
        return new RunMetricsPush(prometheus, settings.getPushgateway(), runs, shutdown.grace());
    }

    /** Leaves Boot's periodic push out (see the class comment); its properties are the ones {@link RunMetricsPush} reads. */
    @Bean
    static BeanDefinitionRegistryPostProcessor withoutBootsPeriodicPush() {
        return new BeanDefinitionRegistryPostProcessor() {
            @Override
            public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
                if (registry instanceof ConfigurableListableBeanFactory factory) {
                    for (String name : factory.getBeanNamesForType(PrometheusPushGatewayManager.class, true, false)) {
                        registry.removeBeanDefinition(name);
                    }
                }
            }

            @Override
            public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {}
        };
    }
}
