package io.kubecdk.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Finds the known word a mistyped one was most likely meant to be. */
final class Suggestion {
    private Suggestion() { }

    /**
     * @param word the unknown word
     * @param candidates the known words
     * @return the closest candidate by edit distance (case-insensitive), if close enough to be a typo
     */
    static Optional<String> nearest(String word, Collection<String> candidates) {
        String lower = word.toLowerCase(Locale.ROOT);
        return candidates.stream()
                .min(Comparator.comparingInt((String c) -> distance(lower, c.toLowerCase(Locale.ROOT))).thenComparing(c -> c))
                .filter(c -> distance(lower, c.toLowerCase(Locale.ROOT)) <= Math.max(2, c.length() / 3));
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
