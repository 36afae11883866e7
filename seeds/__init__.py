"""The bundled sample park (installed as the data package ``carbon.seeds``); see README.md here."""
