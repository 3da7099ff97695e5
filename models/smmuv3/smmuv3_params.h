// Parameters of the SMMUv3 model. Every field is documented in docs/smmuv3.md
// with its default; the YAML keys have the same names.
#pragma once

#include <cstdint>

#include "models/common/cache.h"
#include "models/common/translation.h"

namespace iommusim::smmuv3 {

struct Smmuv3Params {
    double clock_mhz = 1000.0;        // SMMU clock; every *_cycles below is in this clock
    unsigned oas_bits = 48;           // SMMU_IDR5.OAS (32..52)
    unsigned sid_bits = 16;           // SMMU_IDR1.SIDSIZE
    unsigned ssid_bits = 8;           // SMMU_IDR1.SSIDSIZE (0 = no substreams)
    bool stage1 = true;               // SMMU_IDR0.S1P
    bool stage2 = true;               // SMMU_IDR0.S2P
    bool two_level_stream_table = true;  // SMMU_IDR0.ST_LEVEL
    bool two_level_cd = true;         // SMMU_IDR0.CD2L
    bool gran4k = true, gran16k = true, gran64k = true;  // SMMU_IDR5.GRAN*
    unsigned cmdq_log2_max = 8;       // SMMU_IDR1.CMDQS
    unsigned eventq_log2_max = 8;     // SMMU_IDR1.EVENTQS

    PipelineParams pipeline;          // IOTLB, walk cache, walker slots
    CacheGeometry config_cache{64, 4, ReplPolicy::LRU, 1};
    unsigned config_cache_latency_cycles = 2;
    unsigned cmd_cycles = 8;          // execution time of one command
    unsigned reg_access_cycles = 4;   // register read/write latency
};

}  // namespace iommusim::smmuv3
