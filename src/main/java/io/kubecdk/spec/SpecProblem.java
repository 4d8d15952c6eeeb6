package io.kubecdk.spec;

/**
 * One thing wrong with a spec: where, and what to do about it.
 *
 * @param path the field path, e.g. {@code environments.prod.minionGroups[1].maxSize}
 * @param message the value given and what is allowed
 */
public record SpecProblem(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
