//! The ready HTTP/1.1 server (feature `server`): [`serve`] with a [`ServerConfig`].

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::Semaphore;

/// Default time for a client to send a request's headers, and the longest a kept-alive
/// connection may wait idle for its next request: 10 seconds.
///
/// Meta and Kapso send a request at once; Kapso stops waiting for the answer after 10 seconds.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(kapso_webhooks::axum::DEFAULT_HEADER_TIMEOUT, Duration::from_secs(10));
/// ```
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Default cap on open connections: 4,096. Past it, new connections wait in the listener's
/// backlog until one closes.
///
/// A connection reading a request's headers holds about 20 kB (hyper's read and write
/// buffers), so the cap bounds that memory at about 80 MB, besides the
/// [buffer budget](super::WebhookConfig::with_buffer_budget). Meta and Kapso use a handful of
/// connections; the rest of the room is for the many a slow-header attack opens.
///
/// ```
/// assert_eq!(kapso_webhooks::axum::DEFAULT_MAX_CONNECTIONS, 4_096);
/// ```
pub const DEFAULT_MAX_CONNECTIONS: usize = 4_096;

/// Default time given to requests in flight to finish once shutdown starts: 5 seconds.
///
/// A delivery is answered in milliseconds, and Kapso gives up after 10 seconds anyway; 5 seconds
/// ends within the 10 seconds Docker waits after SIGTERM (Kubernetes: 30) before it kills.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(kapso_webhooks::axum::DEFAULT_SHUTDOWN_TIMEOUT, Duration::from_secs(5));
/// ```
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// Deadlines and caps of [`serve`].
///
/// ```
/// use std::time::Duration;
/// use kapso_webhooks::axum::{ServerConfig, DEFAULT_HEADER_TIMEOUT};
///
/// let config = ServerConfig::default();
/// assert_eq!(config.header_timeout(), DEFAULT_HEADER_TIMEOUT);
/// let config = config
///     .with_header_timeout(Duration::from_secs(5))
///     .with_max_connections(2_000)
///     .with_shutdown_timeout(Duration::from_secs(20));
/// assert_eq!(config.max_connections(), 2_000);
/// assert_eq!(config.shutdown_timeout(), Duration::from_secs(20));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    header_timeout: Duration,
    max_connections: usize,
    shutdown_timeout: Duration,
}

impl Default for ServerConfig {
    /// [`DEFAULT_HEADER_TIMEOUT`], [`DEFAULT_MAX_CONNECTIONS`], [`DEFAULT_SHUTDOWN_TIMEOUT`].
    fn default() -> Self {
        Self {
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
        }
    }
}

impl ServerConfig {
    /// Sets the time a client has to send a request's headers; it also bounds how long a
    /// kept-alive connection waits idle for its next request. Past it the connection is
    /// closed.
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = kapso_webhooks::axum::ServerConfig::default()
    ///     .with_header_timeout(Duration::from_secs(3));
    /// assert_eq!(config.header_timeout(), Duration::from_secs(3));
    /// ```
    #[must_use]
    pub fn with_header_timeout(mut self, timeout: Duration) -> Self {
        self.header_timeout = timeout;
        self
    }

    /// The time a client has to send a request's headers.
    ///
    /// ```
    /// use kapso_webhooks::axum::{ServerConfig, DEFAULT_HEADER_TIMEOUT};
    /// assert_eq!(ServerConfig::default().header_timeout(), DEFAULT_HEADER_TIMEOUT);
    /// ```
    #[must_use]
    pub fn header_timeout(&self) -> Duration {
        self.header_timeout
    }

    /// Sets the most connections open at once (at least 1); further ones wait in the
    /// listener's backlog.
    ///
    /// ```
    /// let config = kapso_webhooks::axum::ServerConfig::default().with_max_connections(0);
    /// assert_eq!(config.max_connections(), 1);
    /// ```
    #[must_use]
    pub fn with_max_connections(mut self, max: usize) -> Self {
        self.max_connections = max.clamp(1, Semaphore::MAX_PERMITS);
        self
    }

    /// The most connections open at once.
    ///
    /// ```
    /// use kapso_webhooks::axum::{ServerConfig, DEFAULT_MAX_CONNECTIONS};
    /// assert_eq!(ServerConfig::default().max_connections(), DEFAULT_MAX_CONNECTIONS);
    /// ```
    #[must_use]
    pub fn max_connections(&self) -> usize {
        self.max_connections
    }

    /// Sets how long requests in flight may take to finish once shutdown starts; connections
    /// still open then are dropped.
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = kapso_webhooks::axum::ServerConfig::default()
    ///     .with_shutdown_timeout(Duration::from_secs(25));
    /// assert_eq!(config.shutdown_timeout(), Duration::from_secs(25));
    /// ```
    #[must_use]
    pub fn with_shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = timeout;
        self
    }

    /// How long requests in flight may take to finish once shutdown starts.
    ///
    /// ```
    /// use kapso_webhooks::axum::{ServerConfig, DEFAULT_SHUTDOWN_TIMEOUT};
    /// assert_eq!(ServerConfig::default().shutdown_timeout(), DEFAULT_SHUTDOWN_TIMEOUT);
    /// ```
    #[must_use]
    pub fn shutdown_timeout(&self) -> Duration {
        self.shutdown_timeout
    }
}

/// Serves `app` over HTTP/1.1 on `listener` until `shutdown` completes, then stops accepting,
/// lets the requests in flight finish (within the [shutdown
/// timeout](ServerConfig::with_shutdown_timeout)) and returns.
///
/// Unlike `axum::serve`, every connection has a deadline for its headers (slow or idle
/// clients are closed: [`ServerConfig::with_header_timeout`]) and the number of open
/// connections is capped ([`ServerConfig::with_max_connections`]). The body deadline, the
/// buffer budget and the panic guard come from the extractors and [`router`](super::router)
/// (see the [module documentation](super)). Only HTTP/1.1 is served, which is what Meta and
/// Kapso speak (put TLS in front).
///
/// Bind `listener` with a backlog as large as the connection cap (`tokio::net::TcpSocket`'s
/// `listen(4096)`; `TcpListener::bind` gives 1,024): otherwise a burst of connections, hostile
/// or not, overflows the backlog and clients wait seconds for their retried SYN.
///
/// Errors of accepting (a reset connection, too many open files) are waited out, as
/// `axum::serve` does, so this returns `Ok` once shut down (the `Result` is kept for setup
/// errors a later version may report).
///
/// ```no_run
/// use axum::http::StatusCode;
/// use kapso_webhooks::axum::{router, serve, shutdown_signal, ServerConfig, Webhook, WebhookConfig};
/// use kapso_webhooks::verify::Verifier;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let verifier = Verifier::new().with_kapso_secret(std::env::var("KAPSO_WEBHOOK_SECRET")?)?;
/// let app = router(WebhookConfig::new(verifier), |Webhook(delivery): Webhook| async move {
///     // Store the delivery durably before answering 200.
///     let _ = delivery;
///     StatusCode::OK
/// });
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
/// serve(listener, app, ServerConfig::default(), shutdown_signal()).await?;
/// # Ok(())
/// # }
/// ```
pub async fn serve<F>(
    listener: TcpListener,
    app: Router,
    config: ServerConfig,
    shutdown: F,
) -> io::Result<()>
where
    F: Future<Output = ()> + Send,
{
    let permits = Arc::new(Semaphore::new(config.max_connections));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout)
        .keep_alive(true);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            () = &mut shutdown => break,
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(err) if is_connection_error(&err) => continue,
                Err(_) => {
                    // Out of file descriptors or memory, most likely: wait for connections
                    // to close, as `axum::serve` does.
                    tokio::select! {
                        () = &mut shutdown => break,
                        () = tokio::time::sleep(Duration::from_millis(100)) => continue,
                    }
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A connection's error (reset, header deadline) concerns that client only.
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(config.shutdown_timeout) => {}
    }
    Ok(())
}

/// Binds a listener for [`serve`] on `addr` with a backlog of 4,096 (as many as the
/// [connection cap](DEFAULT_MAX_CONNECTIONS); the kernel may lower it to
/// `net.core.somaxconn`): with `TcpListener::bind`'s 1,024, a burst of connections overflows
/// the backlog and clients wait seconds for their SYN to be retried. Port `0` picks a free
/// port (read it with `local_addr`).
///
/// Must be called within a Tokio runtime with I/O enabled.
///
/// # Errors
///
/// When the socket cannot be created or bound (the port is taken, the address is not local).
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// let listener = kapso_webhooks::axum::bind(([127, 0, 0, 1], 0).into())?;
/// println!("listening on http://{}", listener.local_addr()?);
/// # Ok(())
/// # }
/// ```
pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

/// Errors of one accepted connection, not of the listener.
fn is_connection_error(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
    )
}

/// Completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM: the shutdown signal for [`serve`].
///
/// If a signal handler cannot be installed, that signal is not waited for.
///
/// ```no_run
/// # async fn run(listener: tokio::net::TcpListener, app: axum::Router) -> std::io::Result<()> {
/// use kapso_webhooks::axum::{serve, shutdown_signal, ServerConfig};
/// serve(listener, app, ServerConfig::default(), shutdown_signal()).await
/// # }
/// ```
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
