package io.kubecdk.spec;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 CIDR block, parsed strictly: four decimal octets, a prefix of 0 to 32, and no host bits set.
 *
 * @param address the network address as an unsigned 32-bit value
 * @param prefix the prefix length
 */
public record Cidr(long address, int prefix) {
    private static final Pattern SHAPE = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    /**
     * @param text e.g. {@code 10.0.0.0/16}
     * @return the block, or empty when the text is not a valid IPv4 CIDR with no host bits set
     */
    public static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                return Optional.empty();
            }
            address = (address << 8) | octet;
        }
        int prefix = Integer.parseInt(m.group(5));
        if (prefix > 32) {
            return Optional.empty();
        }
        Cidr cidr = new Cidr(address, prefix);
        return (address & ~cidr.mask() & 0xFFFFFFFFL) == 0 ? Optional.of(cidr) : Optional.empty();
    }

    /** @return the number of addresses in the block */
    public long size() {
        return 1L << (32 - prefix);
    }

    /**
     * @param other another block
     * @return whether the two blocks share any address
     */
    public boolean overlaps(Cidr other) {
        int common = Math.min(prefix, other.prefix);
        long mask = maskOf(common);
        return (address & mask) == (other.address & mask);
    }

    /** @return the block in CIDR notation, e.g. {@code 10.0.0.0/16} */
    @Override
    public String toString() {
        return (address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "."
                + (address & 255) + "/" + prefix;
    }

    private long mask() {
        return maskOf(prefix);
    }

    private static long maskOf(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }
}
