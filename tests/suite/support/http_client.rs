//! A minimal HTTP/1.1 client for the server tests (`tests/suite/http.rs`, `tests/suite/bad_inputs.rs`): it
//! can send what a well-behaved client library refuses to (odd headers, a declared length that
//! never comes, a body the server stops reading).

use std::net::SocketAddr;
use std::time::Duration;

use kapso_webhooks::verify::signature::SignatureScheme;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A request to send; the body goes with `Content-Length` unless `chunked`.
#[derive(Clone)]
pub struct Req {
    pub method: &'static str,
    pub target: String,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
    pub chunked: bool,
    /// A `Content-Length` to declare instead of the body's.
    pub declared_length: Option<u64>,
}

impl Req {
    pub fn get(target: &str) -> Self {
        Self {
            method: "GET",
            target: target.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
            chunked: false,
            declared_length: None,
        }
    }

    pub fn post(body: &[u8]) -> Self {
        Self {
            method: "POST",
            target: "/webhook".to_owned(),
            headers: vec![("Content-Type".into(), b"application/json".to_vec())],
            body: body.to_vec(),
            chunked: false,
            declared_length: None,
        }
    }

    pub fn header(mut self, name: &str, value: impl AsRef<[u8]>) -> Self {
        self.headers
            .push((name.to_owned(), value.as_ref().to_vec()));
        self
    }

    /// Adds `X-Hub-Signature-256` for the body under `secret` (Meta's signature).
    pub fn signed(self, secret: &str) -> Self {
        let signature = SignatureScheme::Meta.sign(&self.body, secret);
        self.header("X-Hub-Signature-256", signature)
    }

    /// Adds `X-Webhook-Signature` for the body under `secret` (Kapso's signature).
    pub fn kapso_signed(self, secret: &str) -> Self {
        let signature = SignatureScheme::Kapso.sign(&self.body, secret);
        self.header("X-Webhook-Signature", signature)
    }

    pub fn method(mut self, method: &'static str) -> Self {
        self.method = method;
        self
    }

    pub fn chunked(mut self) -> Self {
        self.chunked = true;
        self
    }

    pub fn declaring_length(mut self, length: u64) -> Self {
        self.declared_length = Some(length);
        self
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!(
            "{} {} HTTP/1.1\r\nHost: localhost\r\n",
            self.method, self.target
        )
        .into_bytes();
        for (name, value) in &self.headers {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        }
        if self.chunked {
            out.extend_from_slice(b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
            for chunk in self.body.chunks(64 * 1024) {
                out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                out.extend_from_slice(chunk);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"0\r\n\r\n");
        } else {
            if self.method != "GET" {
                let length = self.declared_length.unwrap_or(self.body.len() as u64);
                out.extend_from_slice(format!("Content-Length: {length}\r\n").as_bytes());
            }
            out.extend_from_slice(b"Connection: close\r\n\r\n");
            out.extend_from_slice(&self.body);
        }
        out
    }
}

/// A response as read off the wire (a chunked body decoded).
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 response body")
    }
}

/// Sends one request on a fresh connection (`Connection: close`) and reads the
/// response until the server closes, failing after `timeout`.
///
/// The request is written from another task: the server may answer (401, 413)
/// and close before it has read the whole body, so write errors are expected
/// then and ignored, and the response is read meanwhile.
pub async fn send(addr: SocketAddr, req: &Req, timeout: Duration) -> Resp {
    let bytes = req.to_bytes();
    let exchange = async move {
        let stream = TcpStream::connect(addr).await.expect("connect");
        let (mut reader, mut writer) = stream.into_split();
        let write = tokio::spawn(async move {
            let _ = writer.write_all(&bytes).await;
            let _ = writer.flush().await;
            // Keep the write half open until the response has been read.
            tokio::time::sleep(timeout).await;
            drop(writer);
        });
        let mut raw = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match reader.read(&mut buf).await {
                Ok(0) => break,
                Ok(n) => raw.extend_from_slice(&buf[..n]),
                // A reset after the response (the server closed with request bytes unread).
                Err(_) if find(&raw, b"\r\n\r\n").is_some() => break,
                Err(err) => panic!("reading the response: {err}"),
            }
        }
        write.abort();
        parse_response(&raw)
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .expect("response within the timeout")
}

pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

pub fn parse_response(raw: &[u8]) -> Resp {
    let head_end = find(raw, b"\r\n\r\n").expect("end of the response head");
    let head = std::str::from_utf8(&raw[..head_end]).expect("ASCII head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let mut parts = status_line.splitn(3, ' ');
    assert_eq!(
        parts.next(),
        Some("HTTP/1.1"),
        "status line {status_line:?}"
    );
    let status = parts
        .next()
        .expect("status code")
        .parse()
        .expect("numeric status");
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect("header line");
            (name.trim().to_owned(), value.trim().to_owned())
        })
        .collect();
    let rest = &raw[head_end + 4..];
    let mut response = Resp {
        status,
        headers,
        body: Vec::new(),
    };
    response.body = if response
        .header("transfer-encoding")
        .is_some_and(|value| value.eq_ignore_ascii_case("chunked"))
    {
        decode_chunked(rest)
    } else if let Some(length) = response.header("content-length") {
        let length: usize = length.parse().expect("numeric Content-Length");
        rest[..length].to_vec()
    } else {
        rest.to_vec()
    };
    response
}

fn decode_chunked(mut rest: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = find(rest, b"\r\n").expect("chunk size line");
        let size_line = std::str::from_utf8(&rest[..line_end]).expect("ASCII chunk size");
        let size = usize::from_str_radix(size_line.split(';').next().unwrap().trim(), 16)
            .expect("hex chunk size");
        rest = &rest[line_end + 2..];
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}
