// glibc's allocator spent a third of a 10,000-commitment build in malloc/free under two
// threads (docs/benchmarks.md, "Profile"); mimalloc's thread-local heaps remove most of it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (libmimalloc-sys 0.1.49's
/// `c_src/mimalloc/v3/include/mimalloc.h`), which the crate has no constant for.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    std::process::exit(pactgen::cli::main_with(&|| {
        // A live preview rebuilds the same large files (list pages, data exports) again and
        // again: keep freed memory instead of returning it to the system, which then zeroes
        // fresh pages for the next rebuild (a third of its time at 10,000 commitments, with
        // edits more than the default 1 s apart).
        // SAFETY: plain option setter, called once before any rebuild starts.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }));
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
