//! What Chrome sends per connection and `boring` has no safe method for, as safe functions on
//! a connection's [`SslRef`]:
//! - [`offer_h2_settings`]: ALPS (the `application_settings` extension) for `h2`, on its new
//!   code point, with empty settings;
//! - [`offer_trust_anchors`]: an empty `trust_anchors` extension (Trust Anchor IDs).
//!
//! The only unsafe code of the service lives here: each function is one or two calls into
//! BoringSSL on an `SSL` object the caller borrows mutably, so nothing else can use it during
//! the call, and every pointer handed over is valid for the call (BoringSSL copies what it
//! keeps).

#![deny(unsafe_op_in_unsafe_fn)]

use boring::error::ErrorStack;
use boring::ssl::SslRef;
use foreign_types::ForeignTypeRef;

/// An empty trust_anchors extension: Chrome names no anchor up front, it only says it takes
/// part in the retry flow.
///
/// # Errors
/// BoringSSL's error stack when it refuses.
pub fn offer_trust_anchors(ssl: &mut SslRef) -> Result<(), ErrorStack> {
    // SAFETY: `ssl.as_ptr()` is a live `SSL` object, borrowed mutably for the whole call so
    // no other reference uses it meanwhile; an empty list (null, 0) is documented as allowed
    // and nothing is read through the null pointer.
    let set =
        unsafe { boring_sys::SSL_set1_requested_trust_anchors(ssl.as_ptr(), std::ptr::null(), 0) };
    if set == 1 {
        Ok(())
    } else {
        Err(ErrorStack::get())
    }
}

/// ALPS for `h2` with empty settings, on the extension's new code point (as Chrome sends it).
///
/// # Errors
/// BoringSSL's error stack when it refuses.
pub fn offer_h2_settings(ssl: &mut SslRef) -> Result<(), ErrorStack> {
    const H2: &[u8] = b"h2";
    let ptr = ssl.as_ptr();
    // SAFETY: `ptr` is a live `SSL` object, borrowed mutably through `ssl` for the whole call;
    // this setter only stores a flag in it.
    unsafe { boring_sys::SSL_set_alps_use_new_codepoint(ptr, 1) };
    // SAFETY: as above for `ptr`; `H2` is a static slice of `H2.len()` bytes, the settings
    // are empty (null, 0), and BoringSSL copies the protocol before returning.
    let added = unsafe {
        boring_sys::SSL_add_application_settings(ptr, H2.as_ptr(), H2.len(), std::ptr::null(), 0)
    };
    if added == 1 {
        Ok(())
    } else {
        Err(ErrorStack::get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use boring::ssl::{SslConnector, SslMethod};

    #[test]
    fn a_connection_takes_alps_and_trust_anchors() {
        let connector = SslConnector::builder(SslMethod::tls()).unwrap().build();
        let mut config = connector.configure().unwrap();
        offer_h2_settings(&mut config).expect("ALPS for h2");
        offer_trust_anchors(&mut config).expect("an empty trust_anchors");
    }
}
