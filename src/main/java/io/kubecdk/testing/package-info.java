/**
 * Test helpers for apps built with kubecdk (or any CDK stack), free of any test framework:
 * {@link io.kubecdk.testing.StackSnapshot} compares a synthesized stack with golden files.
 */
package io.kubecdk.testing;
