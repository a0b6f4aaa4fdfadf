"""Zero-setup image classification and sentiment analysis with Hugging Face pipelines."""
from transformers import AutoModelForImageClassification, pipeline

classifier = pipeline("image-classification", model="google/vit-base-patch16-224")
sentiment = pipeline("sentiment-analysis", model="distilbert-base-uncased-finetuned-sst-2-english")
convnext = AutoModelForImageClassification.from_pretrained("facebook/convnext-tiny-224")

reviews = ["A wonderful little film.", "Two hours I will never get back."]
for review in reviews:
    print(review, sentiment(review))

print(classifier("cat.jpg"))
