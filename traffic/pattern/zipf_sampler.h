// Exact Zipf sampler in O(1) memory: rank r in [1, n] with
// P(r) = r^-alpha / H(n, alpha), H(n, alpha) = sum_{k=1..n} k^-alpha.
//
// Rejection-inversion (W. Hörmann and G. Derflinger, "Rejection-inversion to
// generate variates from monotone discrete distributions", ACM TOMACS 6(3),
// 1996), in the form used by Apache Commons RNG's
// RejectionInversionZipfSampler: hat integral H(x) = (x^(1-alpha) - 1) /
// (1 - alpha) (log x for alpha = 1), so every alpha > 0 works, with no table
// (n may be 2^30 or more; n must stay below 2^53 to be exact in a double).
// Expected draws of the generator per sample are below 1.2 for all alpha.
#pragma once

#include <cstdint>

#include "traffic/pattern/rng.h"

namespace iommusim::traffic {

class ZipfSampler {
public:
    // n >= 1, alpha > 0 and finite; throws std::invalid_argument otherwise.
    ZipfSampler(uint64_t n, double alpha);

    // One rank in [1, n]; consumes one or more rng.unit() draws.
    uint64_t sample(SplitMix64& rng) const;

    uint64_t n() const { return n_; }
    double alpha() const { return alpha_; }

private:
    double h(double x) const;                   // x^-alpha
    double h_integral(double x) const;          // H(x)
    double h_integral_inverse(double x) const;  // H^-1(x)

    uint64_t n_;
    double alpha_;
    double h_integral_x1_;  // H(1.5) - 1
    double h_integral_n_;   // H(n + 0.5)
    double s_;              // shortcut bound for the acceptance test
};

}  // namespace iommusim::traffic
