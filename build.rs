// The default theme is embedded in the binary; rebuild when it changes.
fn main() {
    println!("cargo:rerun-if-changed=themes/guide");
}
