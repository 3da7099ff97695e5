// Sparse physical memory backing store (no SystemC).
//
// A 52-bit physical space costs only the 4 KiB pages that were touched:
// pages are allocated, zeroed, on first write. Reads of untouched memory
// return zeros. Used by the TLM memory target and by host-software helpers
// that set up tables through the backdoor.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <unordered_map>

namespace iommusim {

class SparseMemory {
public:
    static constexpr unsigned page_shift = 12;
    static constexpr uint64_t page_size = uint64_t{1} << page_shift;

    void read(uint64_t addr, void* dst, uint64_t len) const;
    void write(uint64_t addr, const void* src, uint64_t len);
    void fill(uint64_t addr, uint8_t byte, uint64_t len);

    uint64_t read64(uint64_t addr) const {
        uint64_t v;
        read(addr, &v, 8);
        return v;
    }
    void write64(uint64_t addr, uint64_t v) { write(addr, &v, 8); }

    // Pointer to the page holding `addr`, allocating it if asked (DMI).
    uint8_t* page(uint64_t addr, bool allocate);
    const uint8_t* page(uint64_t addr) const;

    uint64_t pages_touched() const { return pages_.size(); }
    uint64_t bytes_allocated() const { return pages_.size() * page_size; }

private:
    struct Page {
        uint8_t data[page_size];
    };
    std::unordered_map<uint64_t, std::unique_ptr<Page>> pages_;
    // One-entry lookup cache: consecutive accesses mostly hit the same page.
    mutable uint64_t last_pfn_ = ~uint64_t{0};
    mutable Page* last_page_ = nullptr;
};

}  // namespace iommusim
