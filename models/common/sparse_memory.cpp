#include "models/common/sparse_memory.h"

#include <algorithm>

namespace iommusim {

const uint8_t* SparseMemory::page(uint64_t addr) const {
    const uint64_t pfn = addr >> page_shift;
    if (pfn == last_pfn_) return last_page_->data;
    auto it = pages_.find(pfn);
    if (it == pages_.end()) return nullptr;
    last_pfn_ = pfn;
    last_page_ = it->second.get();
    return last_page_->data;
}

uint8_t* SparseMemory::page(uint64_t addr, bool allocate) {
    const uint64_t pfn = addr >> page_shift;
    if (pfn == last_pfn_) return last_page_->data;
    auto it = pages_.find(pfn);
    if (it == pages_.end()) {
        if (!allocate) return nullptr;
        auto p = std::make_unique<Page>();
        std::memset(p->data, 0, page_size);
        it = pages_.emplace(pfn, std::move(p)).first;
    }
    last_pfn_ = pfn;
    last_page_ = it->second.get();
    return last_page_->data;
}

void SparseMemory::read(uint64_t addr, void* dst, uint64_t len) const {
    auto* out = static_cast<uint8_t*>(dst);
    while (len != 0) {
        const uint64_t off = addr & (page_size - 1);
        const uint64_t n = std::min(len, page_size - off);
        const uint8_t* p = page(addr);
        if (p)
            std::memcpy(out, p + off, n);
        else
            std::memset(out, 0, n);
        out += n;
        addr += n;
        len -= n;
    }
}

void SparseMemory::write(uint64_t addr, const void* src, uint64_t len) {
    const auto* in = static_cast<const uint8_t*>(src);
    while (len != 0) {
        const uint64_t off = addr & (page_size - 1);
        const uint64_t n = std::min(len, page_size - off);
        std::memcpy(page(addr, true) + off, in, n);
        in += n;
        addr += n;
        len -= n;
    }
}

void SparseMemory::fill(uint64_t addr, uint8_t byte, uint64_t len) {
    while (len != 0) {
        const uint64_t off = addr & (page_size - 1);
        const uint64_t n = std::min(len, page_size - off);
        std::memset(page(addr, true) + off, byte, n);
        addr += n;
        len -= n;
    }
}

}  // namespace iommusim
