//! Rebuilds the binary when a file of the built-in theme or of the starter site is added,
//! changed or removed: both are embedded with `include_dir!`, whose own tracking sees changed
//! files only (a directory given here is scanned whole by cargo).
fn main() {
    println!("cargo::rerun-if-changed=themes/default");
    println!("cargo::rerun-if-changed=starter");
}
