package io.kubecdk;
public final class ClusterApp { public static void main(String[] a) {} }
