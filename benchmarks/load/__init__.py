"""Load test (issue 22): a Locust user mix against `oncofed serve` on loopback."""
