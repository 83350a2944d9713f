//! The product's network identity measured against headless Chromium: for now the ClientHello
//! parser (`hello.rs`) and FoxIO's JA4 and JA4_r over it (`ja4.rs`), unit-tested against the
//! spec's Chrome example.

// Parts of both are for the comparison with Chromium, which comes next.
#[allow(dead_code)]
mod hello;
#[allow(dead_code)]
mod ja4;
