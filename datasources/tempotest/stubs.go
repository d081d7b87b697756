package tempotest

import "net/http"

func (s *Store) handleTagsV1(w http.ResponseWriter, r *http.Request)      { textError(w, 501, "todo") }
func (s *Store) handleTagsV2(w http.ResponseWriter, r *http.Request)      { textError(w, 501, "todo") }
func (s *Store) handleTagValuesV1(w http.ResponseWriter, r *http.Request) { textError(w, 501, "todo") }
func (s *Store) handleTagValuesV2(w http.ResponseWriter, r *http.Request) { textError(w, 501, "todo") }
