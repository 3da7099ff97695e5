// Builds VMSAv8-64 translation tables in simulated memory, as a driver would
// (no SystemC). Used by host-software models and tests.
//
// map() picks, at every position, the largest leaf (block or page) that is
// permitted at its level, is no larger than the requested page_size, has both
// the input and the output address aligned to its size, and fits in what is
// left of the range. It refuses (returns false, nothing written) when any
// leaf is already present in the range. An existing table that holds no valid
// descriptor is replaced by a block when a block is chosen there (its memory
// is not reclaimed).
//
// unmap() clears the leaves inside the range; a block that straddles a range
// edge is first split into a next-level table of smaller leaves with the same
// attributes. Tables are never freed.
//
// Both work table by table (each table descriptor is read once per call), so
// their cost is one descriptor access per leaf plus one per table.
#pragma once

#include <cstdint>

#include "models/common/pagetables/vmsa.h"

namespace iommusim::vmsa {

struct TableMemory {  // the simulated memory as seen by software
    void* ctx = nullptr;
    uint64_t (*read64)(void* ctx, uint64_t pa) = nullptr;
    void (*write64)(void* ctx, uint64_t pa, uint64_t v) = nullptr;
    uint64_t (*alloc_table)(void* ctx, uint64_t bytes) = nullptr;  // zeroed, size-aligned
};

// Leaf attributes.
//   Stage 1: AP[2] = !write, AP[1] = user, UXN = PXN = !exec, nG = ng,
//            AttrIndx 0, SH inner shareable. `read` is ignored (stage 1 cannot
//            deny privileged reads); unprivileged reads follow `user`.
//   Stage 2: S2AP = {write, read}, XN = exec ? 00 : 10, MemAttr 0b1111
//            (Normal write-back), SH inner shareable.
struct MapAttrs {
    bool read = true, write = true, exec = false, user = true /* stage 1 AP[1] */, af = true;
    bool ng = false;  // stage 1 nG
};

class VmsaBuilder {
public:
    // Allocates the root (`concat_tables` granule-sized tables for a
    // concatenated stage-2 start level; at least 64 bytes for a smaller
    // start table). `oas_bits` is the output size used for the start-level
    // rules and the descriptors' output-address format (52 with 64K: OA[51:48]
    // in bits [15:12]). Throws std::invalid_argument when the configuration
    // is rejected by start_level() or the root lies above the output size.
    VmsaBuilder(Stage, Granule, unsigned tsz, unsigned sl0 /*stage 2*/, TableMemory mem, unsigned oas_bits = 48);

    uint64_t ttb() const { return ttb_; }
    int start_level() const { return si_.level; }
    unsigned concat_tables() const { return si_.concat_tables; }
    // A WalkConfig matching these tables (ttb, tsz, sl0, granule, stage, oas).
    const WalkConfig& config() const { return cfg_; }
    uint64_t tables_allocated() const { return tables_; }

    // Maps [ia, ia+size) to [pa, pa+size) with leaves no larger than
    // page_size, which must be a supported leaf size (page or block) of the
    // granule. ia, pa and size must be granule aligned, size > 0, the range
    // inside the input size and pa+size inside the output size. Returns false
    // (and changes nothing) on bad arguments or if something is already
    // mapped in the range.
    bool map(uint64_t ia, uint64_t pa, uint64_t size, uint64_t page_size, const MapAttrs&);

    // Unmaps [ia, ia+size) (rounded out to the granule, clipped to the input
    // size); returns the number of leaf descriptors cleared (after splitting
    // straddling blocks). Does not free tables.
    uint64_t unmap(uint64_t ia, uint64_t size);

    // Raw helpers for tests that need malformed tables.
    // Address of the descriptor for `ia` at `level` (0 if a table on the way
    // is absent, or level / ia out of range).
    uint64_t leaf_desc_addr(uint64_t ia, int level) const;

private:
    struct MapOp;
    unsigned index_bits(int level) const;
    uint64_t desc_addr(uint64_t table, int level, uint64_t ia) const;
    uint64_t leaf_value(int level, uint64_t pa, const MapAttrs& a) const;
    uint64_t alloc_table();
    bool subtree_empty(uint64_t table, int level) const;
    bool check(const MapOp& op, uint64_t table, int level, uint64_t lo, uint64_t hi) const;
    void commit(const MapOp& op, uint64_t table, int level, uint64_t lo, uint64_t hi);
    uint64_t unmap_in(uint64_t table, int level, uint64_t lo, uint64_t hi);
    uint64_t rd(uint64_t pa) const { return mem_.read64(mem_.ctx, pa); }
    void wr(uint64_t pa, uint64_t v) { mem_.write64(mem_.ctx, pa, v); }

    WalkConfig cfg_;
    StartInfo si_;
    TableMemory mem_;
    uint64_t ttb_ = 0;
    uint64_t tables_ = 0;
    bool lpa_ = false;
};

}  // namespace iommusim::vmsa
