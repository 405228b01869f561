//! The exact analyzer replays what the stemmed one just saw.
//!
//! Every title and body is indexed twice, stemmed and exact, by two analyzers that share their
//! chain up to the stemmer; tantivy runs each field's analyzer on its own, so the shared chain
//! (tokenizer, lowercasing, elision, folding, stop words: about a sixth of indexing) would run
//! twice per text. Instead the stemmed analyzer [`Remember`]s, in a per-thread memo, the
//! tokens its chain gave before stemming, and the exact analyzer ([`Replay`]) hands them out
//! again when asked for the very same text — as tantivy asks, since it indexes a document's
//! fields in schema order (`title`, `title_exact`, `body`, `body_exact`) on one thread. Any
//! other text, or a memo left incomplete, runs the chain: the result never depends on the
//! memo, only the cost does (`tests`: both analyzers give the same tokens either way).
//! Written by hand: tantivy shares no work between fields.

use std::cell::RefCell;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// The last text a [`Remember`] stream read on this thread, and its tokens so far.
#[derive(Default)]
struct Memo {
    /// Which stream writes it: a newer stream takes it over.
    generation: u64,
    text: String,
    /// Token slots, reused from text to text; `len` of them are this text's.
    tokens: Vec<Token>,
    len: usize,
    /// The stream read the text to its end.
    complete: bool,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// A filter that remembers the tokens passing through it (placed before the stemmer).
#[derive(Clone, Copy, Default)]
pub struct Remember;

impl TokenFilter for Remember {
    type Tokenizer<T: Tokenizer> = RememberWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RememberWrapper<T> {
        RememberWrapper { inner: tokenizer }
    }
}

/// [`Remember`] applied to a tokenizer.
#[derive(Clone)]
pub struct RememberWrapper<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for RememberWrapper<T> {
    type TokenStream<'a> = RememberStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let generation = MEMO.with_borrow_mut(|memo| {
            memo.generation += 1;
            memo.text.clear();
            memo.text.push_str(text);
            memo.len = 0;
            memo.complete = false;
            memo.generation
        });
        RememberStream {
            tail: self.inner.token_stream(text),
            generation,
        }
    }
}

/// [`Remember`]'s token stream.
pub struct RememberStream<T> {
    tail: T,
    generation: u64,
}

impl<T: TokenStream> TokenStream for RememberStream<T> {
    fn advance(&mut self) -> bool {
        let more = self.tail.advance();
        MEMO.with_borrow_mut(|memo| {
            if memo.generation != self.generation {
                return;
            }
            if !more {
                memo.complete = true;
                return;
            }
            let token = self.tail.token();
            match memo.tokens.get_mut(memo.len) {
                Some(slot) => slot.clone_from(token),
                None => memo.tokens.push(token.clone()),
            }
            memo.len += 1;
        });
        more
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// A tokenizer that replays the memo for the text [`Remember`] just read, and runs its inner
/// tokenizer (the same chain) for any other.
#[derive(Clone)]
pub struct Replay<T>(pub T);

impl<T: Tokenizer> Tokenizer for Replay<T> {
    type TokenStream<'a> = ReplayStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let remembered = MEMO.with_borrow_mut(|memo| {
            (memo.complete && memo.text == text).then(|| {
                memo.complete = false;
                let mut tokens = std::mem::take(&mut memo.tokens);
                tokens.truncate(memo.len);
                tokens
            })
        });
        match remembered {
            // (A text without tokens, all stop words, runs the chain: nothing to replay.)
            Some(tokens) if !tokens.is_empty() => ReplayStream::Remembered { tokens, next: 0 },
            _ => ReplayStream::Live(self.0.token_stream(text)),
        }
    }
}

/// [`Replay`]'s token stream: the remembered tokens (never none), or the chain's.
pub enum ReplayStream<T> {
    Remembered { tokens: Vec<Token>, next: usize },
    Live(T),
}

impl<T: TokenStream> TokenStream for ReplayStream<T> {
    fn advance(&mut self) -> bool {
        match self {
            ReplayStream::Remembered { tokens, next } => {
                *next += 1;
                *next <= tokens.len()
            }
            ReplayStream::Live(stream) => stream.advance(),
        }
    }

    fn token(&self) -> &Token {
        match self {
            ReplayStream::Remembered { tokens, next } => &tokens[next.saturating_sub(1)],
            ReplayStream::Live(stream) => stream.token(),
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self {
            ReplayStream::Remembered { tokens, next } => &mut tokens[next.saturating_sub(1)],
            ReplayStream::Live(stream) => stream.token_mut(),
        }
    }
}

impl<T> Drop for ReplayStream<T> {
    /// Gives the token slots back to the memo, for the next text to reuse.
    fn drop(&mut self) {
        if let ReplayStream::Remembered { tokens, .. } = self {
            let tokens = std::mem::take(tokens);
            MEMO.with_borrow_mut(|memo| {
                if memo.tokens.is_empty() {
                    memo.tokens = tokens;
                    memo.len = 0;
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{analyze, exact_analyzer, stemmed_analyzer, Term};
    use super::*;

    const TEXT: &str = "L’armée malienne a repoussé dimanche une attaque jihadiste près de Ségou.";
    const OTHER: &str = "Les FAMa ont neutralisé une vingtaine de terroristes à Bandiagara.";

    fn exact(text: &str) -> Vec<Term> {
        analyze(&mut exact_analyzer(), text)
    }

    fn replayed() -> bool {
        MEMO.with_borrow(|memo| memo.tokens.is_empty() && memo.len > 0)
    }

    #[test]
    fn the_exact_analyzer_gives_the_same_tokens_replayed_or_not() {
        let cold = exact(TEXT);
        assert!(cold.len() > 5);
        analyze(&mut stemmed_analyzer(), TEXT);
        // The memo is handed to the exact stream while it runs, given back when it ends.
        let mut analyzer = exact_analyzer();
        let mut stream = analyzer.token_stream(TEXT);
        assert!(replayed(), "the memo is used for the same text");
        let mut warm = Vec::new();
        while let Some(token) = stream.next() {
            warm.push(token.text.clone());
        }
        drop(stream);
        assert_eq!(
            warm,
            cold.iter().map(|t| t.text.clone()).collect::<Vec<_>>()
        );
        // Replayed once: the same text again runs the chain, with the same result.
        assert_eq!(exact(TEXT), cold);
        // Another text than the one remembered runs the chain.
        analyze(&mut stemmed_analyzer(), OTHER);
        assert_eq!(exact(TEXT), cold);
    }

    #[test]
    fn interleaved_or_unfinished_streams_are_not_replayed() {
        let cold = exact(TEXT);
        let mut first = stemmed_analyzer();
        let mut second = stemmed_analyzer();
        let mut a = first.token_stream(TEXT);
        let mut b = second.token_stream(OTHER);
        // The older stream writes nothing once a newer one has started.
        while a.advance() {}
        assert_eq!(exact(TEXT), cold);
        b.advance();
        drop(b);
        // An unfinished stream is not replayed either.
        assert_eq!(exact(OTHER), analyze(&mut exact_analyzer(), OTHER));
        assert!(!replayed());
    }
}
