// glibc's allocator spent a third of a 10,000-commitment build in malloc/free under two
// threads (docs/benchmarks.md, "Profile"); mimalloc's thread-local heaps remove most of it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (libmimalloc-sys 0.1.49's
/// `c_src/mimalloc/v3/include/mimalloc.h`), which the crate has no constant for.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // Keep freed memory instead of returning it to the system, which zeroes fresh pages when
    // it is asked again. A live preview rebuilds the same large files (list pages, exports)
    // again and again: zeroing was a third of a rebuild's time at 10,000 commitments. A
    // one-off build frees and reallocates its large page strings the same way: 9% of the wall
    // time at 100,000 commitments, no change at 10,000 (docs/benchmarks.md), and no higher
    // peak memory, as freed memory is still reused inside the process.
    // SAFETY: plain option setter, called before any other work starts.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    std::process::exit(pactgen::internals::cli_main());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purge_delay_is_the_option_we_set() {
        // By the defaults of `options.c` (v3): arena_eager_commit (4) is 2, purge_delay (15)
        // is 1,000 ms, use_numa_nodes (16) is 0.
        // SAFETY: plain option getters and setter.
        unsafe {
            assert_eq!(libmimalloc_sys::mi_option_get(4), 2);
            assert_eq!(libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY), 1000);
            assert_eq!(libmimalloc_sys::mi_option_get(16), 0);
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
            assert_eq!(libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY), -1);
        }
    }
}
