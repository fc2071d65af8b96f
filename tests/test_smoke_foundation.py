def test_index_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Høringer" in response.get_data(as_text=True)
