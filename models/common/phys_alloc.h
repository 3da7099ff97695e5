// Physical page allocator used by host-software helpers (the "OS").
// A bump allocator over a region with size-aligned allocations; memory is
// handed out zeroed because SparseMemory reads untouched pages as zero and
// the allocator never reuses addresses.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace iommusim {

class PhysAllocator {
public:
    PhysAllocator(uint64_t base, uint64_t size) : base_(base), end_(base + size), next_(base) {}

    // Returns `bytes` bytes aligned to `align` (a power of two).
    uint64_t alloc(uint64_t bytes, uint64_t align) {
        if (align == 0 || (align & (align - 1)) != 0) throw std::invalid_argument("alignment must be a power of two");
        const uint64_t a = (next_ + align - 1) & ~(align - 1);
        if (a < next_ || bytes > end_ - a)
            throw std::runtime_error("physical memory region exhausted allocating " + std::to_string(bytes) +
                                     " bytes");
        next_ = a + bytes;
        return a;
    }
    uint64_t used() const { return next_ - base_; }
    uint64_t base() const { return base_; }
    uint64_t end() const { return end_; }

private:
    uint64_t base_, end_, next_;
};

}  // namespace iommusim
