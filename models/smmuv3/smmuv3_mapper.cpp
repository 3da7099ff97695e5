#include "models/smmuv3/smmuv3_mapper.h"

namespace iommusim {

bool Smmuv3Mapper::map(uint64_t iova, uint64_t pa, uint64_t size) {
    return drv_.map(dom_, iova, pa, size, page_size_);
}

void Smmuv3Mapper::unmap(uint64_t iova, uint64_t size, bool strict) { drv_.unmap(dom_, iova, size, strict); }

void Smmuv3Mapper::flush() { drv_.flush_domain(dom_); }

}  // namespace iommusim
