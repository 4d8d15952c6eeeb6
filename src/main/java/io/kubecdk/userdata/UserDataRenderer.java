package io.kubecdk.userdata;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.utility.DeepUnwrap;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders node user-data from the Freemarker templates in {@code userdata-templates/}, read from the
 * class path so that the library works from its jar.
 *
 * <p>Templates use square-bracket syntax ({@code [=name]}, {@code [#if]}), so bash's {@code ${VAR}}
 * passes through untouched. {@code q(value)} quotes a value for the shell.
 */
public final class UserDataRenderer {
    /** Class-path folder of the templates. */
    public static final String TEMPLATE_ROOT = "/io/kubecdk/userdata-templates";

    private static final Configuration CONFIGURATION = createConfiguration();

    private UserDataRenderer() { }

    /**
     * @param model the node's bootstrap model
     * @return the user-data script
     * @throws IllegalStateException when the template is missing or refers to an undefined value
     */
    public static String render(BootstrapModel model) {
        Map<String, Object> root = new HashMap<>(model.toTemplateModel());
        root.put("q", (TemplateMethodModelEx) UserDataRenderer::quote);
        try {
            Template template = CONFIGURATION.getTemplate(model.template());
            StringWriter out = new StringWriter();
            template.process(root, out);
            return out.toString();
        } catch (TemplateException e) {
            throw new IllegalStateException("user-data template " + model.template() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read user-data template " + model.template(), e);
        }
    }

    private static Object quote(java.util.List<?> arguments) throws TemplateModelException {
        if (arguments.size() != 1) {
            throw new TemplateModelException("q takes one argument, got " + arguments.size());
        }
        Object value = DeepUnwrap.unwrap((freemarker.template.TemplateModel) arguments.get(0));
        return ShellQuote.quote(String.valueOf(value));
    }

    private static Configuration createConfiguration() {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setClassForTemplateLoading(UserDataRenderer.class, TEMPLATE_ROOT);
        cfg.setDefaultEncoding("UTF-8");
        cfg.setTagSyntax(Configuration.SQUARE_BRACKET_TAG_SYNTAX);
        cfg.setInterpolationSyntax(Configuration.SQUARE_BRACKET_INTERPOLATION_SYNTAX);
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
        return cfg;
    }
}
