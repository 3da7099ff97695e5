#include "traffic/pattern/zipf_sampler.h"

#include <cmath>
#include <stdexcept>

namespace iommusim::traffic {

namespace {

// log1p(x) / x, with its Taylor series near 0.
double log1p_over_x(double x) {
    if (std::fabs(x) > 1e-8) return std::log1p(x) / x;
    return 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
}

// expm1(x) / x, with its Taylor series near 0.
double expm1_over_x(double x) {
    if (std::fabs(x) > 1e-8) return std::expm1(x) / x;
    return 1 + x * 0.5 * (1 + x * (1.0 / 3) * (1 + 0.25 * x));
}

}  // namespace

ZipfSampler::ZipfSampler(uint64_t n, double alpha) : n_(n), alpha_(alpha) {
    if (!(alpha > 0) || !std::isfinite(alpha)) throw std::invalid_argument("alpha: must be > 0 and finite");
    if (n == 0) throw std::invalid_argument("window: the zipf pattern needs at least one slot");
    h_integral_x1_ = h_integral(1.5) - 1;
    h_integral_n_ = h_integral(double(n) + 0.5);
    s_ = 2 - h_integral_inverse(h_integral(2.5) - h(2));
}

double ZipfSampler::h(double x) const { return std::exp(-alpha_ * std::log(x)); }

double ZipfSampler::h_integral(double x) const {
    const double log_x = std::log(x);
    return expm1_over_x((1 - alpha_) * log_x) * log_x;
}

double ZipfSampler::h_integral_inverse(double x) const {
    double t = x * (1 - alpha_);
    if (t < -1) t = -1;  // rounding can push t just below -1
    return std::exp(log1p_over_x(t) * x);
}

uint64_t ZipfSampler::sample(SplitMix64& rng) const {
    for (;;) {
        // u uniform in (H(1.5) - 1, H(n + 0.5)].
        const double u = h_integral_n_ + rng.unit() * (h_integral_x1_ - h_integral_n_);
        const double x = h_integral_inverse(u);
        const double kd = std::floor(x + 0.5);
        uint64_t k;
        if (!(kd >= 1))
            k = 1;
        else if (kd >= double(n_))
            k = n_;
        else
            k = uint64_t(kd);
        // k = 1 is always accepted (u >= H(1.5) - h(1)); k - x <= s is a
        // cheap sufficient test for the others.
        const double kf = double(k);
        if (kf - x <= s_ || u >= h_integral(kf + 0.5) - h(kf)) return k;
    }
}

}  // namespace iommusim::traffic
