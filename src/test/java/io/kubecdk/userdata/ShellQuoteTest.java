package io.kubecdk.userdata;

import io.kubecdk.testsupport.ProcessResult;
import io.kubecdk.testsupport.Processes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ShellQuoteTest {

    @Test
    void bashReadsEveryQuotedValueBackByteForByte() {
        List<String> values = List.of("plain", "", "it's", "''", "$(touch /tmp/pwned) `id` ${HOME}", "a\nb\tc",
                "\\'\"", "${Token[TOKEN.123]}", "*?[a-z]");
        StringBuilder script = new StringBuilder();
        for (String value : values) {
            script.append("printf '%s\\0' ").append(ShellQuote.quote(value)).append('\n');
        }
        ProcessResult result = Processes.run(List.of("bash", "-c", script.toString()), null, Map.of(),
                Duration.ofSeconds(30));
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout().split("\0", -1)).containsExactlyElementsOf(
                java.util.stream.Stream.concat(values.stream(), java.util.stream.Stream.of("")).toList());
    }

    @Test
    void quotesWithSingleQuotesOnly() {
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
    }
}
