package io.kubecdk.spec;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a cluster spec is invalid; carries every problem found, not just the first. */
public class InvalidSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<SpecProblem> problems;

    /** @param problems the problems, at least one */
    public InvalidSpecException(List<SpecProblem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /** @return every problem, in the order found */
    public List<SpecProblem> problems() {
        return problems;
    }

    private static String format(List<SpecProblem> problems) {
        String noun = problems.size() == 1 ? "problem" : "problems";
        return "invalid cluster spec, " + problems.size() + " " + noun + ":\n"
                + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
    }
}
