package petstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/faasport/faasport/faas"
)

// Page sizes for [Catalog.List] and [Catalog.Search].
const (
	DefaultPageSize = 12
	MaxPageSize     = 100
)

// Page is one page of a listing or of search results.
type Page struct {
	Products []Product `json:"products"`
	Page     int       `json:"page"`     // 1-based
	PageSize int       `json:"pageSize"` // the most products a page holds
	Total    int       `json:"total"`    // the matching products on all pages
	Pages    int       `json:"pages"`    // the number of pages; 0 when nothing matched
}

// HasPrev reports whether there is a page before p.
func (p Page) HasPrev() bool { return p.Page > 1 }

// HasNext reports whether there is a page after p.
func (p Page) HasNext() bool { return p.Page < p.Pages }

// pageBounds checks a page number and size, filling in the defaults: a
// page of 0 means the first, a size of 0 DefaultPageSize.
func pageBounds(page, size int) (int, int, error) {
	if page == 0 {
		page = 1
	}
	if size == 0 {
		size = DefaultPageSize
	}
	if page < 1 {
		return 0, 0, faas.Errorf(faas.Invalid, "petstore: page %d does not exist; pages count from 1", page)
	}
	if size < 1 || size > MaxPageSize {
		return 0, 0, faas.Errorf(faas.Invalid, "petstore: a page holds 1 to %d products, not %d", MaxPageSize, size)
	}
	return page, size, nil
}

// paginate returns page of all, which is in display order. A page past
// the end is empty, not an error, so that a listing that shrank between
// two clicks still answers.
func paginate(all []Product, page, size int) Page {
	p := Page{Page: page, PageSize: size, Total: len(all), Pages: (len(all) + size - 1) / size}
	start := (page - 1) * size
	if start < len(all) {
		p.Products = all[start:min(start+size, len(all))]
	}
	if p.Products == nil {
		p.Products = []Product{}
	}
	return p
}

// List returns a page of the products of category, or of every category
// when category is empty, in name order. page counts from 1; 0 means 1,
// and pageSize 0 means [DefaultPageSize]. An unknown category, a negative
// page or a size over [MaxPageSize] is [faas.Invalid]; a page past the end
// is empty.
func (c *Catalog) List(ctx context.Context, category Category, page, pageSize int) (Page, error) {
	if category != "" && !category.Valid() {
		_, err := ParseCategory(string(category))
		return Page{}, err
	}
	page, pageSize, err := pageBounds(page, pageSize)
	if err != nil {
		return Page{}, err
	}
	cats := []Category{category}
	if category == "" {
		cats = categories
	}
	return c.listIndex(ctx, cats, page, pageSize)
}

// indexKey is an entry of the category index: enough to order products
// and to fetch them.
type indexKey struct{ sortName, id string }

// listIndex returns a page of the products of cats in name order. It
// reads only the keys from the category index, each category already in
// name order, and then fetches the products of the one page: numbered
// pages need the count and the position of every product, but only a
// page's worth of whole items.
func (c *Catalog) listIndex(ctx context.Context, cats []Category, page, size int) (Page, error) {
	var keys []indexKey
	for _, cat := range cats {
		p := dynamodb.NewQueryPaginator(c.db, &dynamodb.QueryInput{
			TableName:                 aws.String(ProductsTable),
			IndexName:                 aws.String(CategoryIndex),
			KeyConditionExpression:    aws.String("category = :c"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":c": attrS(string(cat))},
			ProjectionExpression:      aws.String("id, sortName"),
		})
		for p.HasMorePages() {
			res, err := p.NextPage(ctx)
			if err != nil {
				return Page{}, dbError(ctx, "list "+string(cat), err)
			}
			for _, item := range res.Items {
				keys = append(keys, indexKey{getS(item, attrSortName), getS(item, attrID)})
			}
		}
	}
	if len(cats) > 1 {
		slices.SortFunc(keys, func(a, b indexKey) int { return strings.Compare(a.sortName, b.sortName) })
	}
	pg := paginate(nil, page, size)
	pg.Total, pg.Pages = len(keys), (len(keys)+size-1)/size
	start := (pg.Page - 1) * size
	if start >= len(keys) {
		return pg, nil
	}
	keys = keys[start:min(start+size, len(keys))]
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = k.id
	}
	found, err := c.getProducts(ctx, ids, false)
	if err != nil {
		return Page{}, err
	}
	for _, id := range ids {
		if p, ok := found[id]; ok { // deleted since the index was read: skip it
			pg.Products = append(pg.Products, p)
		}
	}
	return pg, nil
}

// getProducts returns those of the products with the given ids (at most
// 100) that exist, by id.
func (c *Catalog) getProducts(ctx context.Context, ids []string, consistent bool) (map[string]Product, error) {
	keys := make([]map[string]types.AttributeValue, len(ids))
	for i, id := range ids {
		keys[i] = productKey(id)
	}
	found := make(map[string]Product, len(ids))
	pending := map[string]types.KeysAndAttributes{ProductsTable: {
		Keys:                     keys,
		ProjectionExpression:     aws.String(publicProjection),
		ExpressionAttributeNames: publicNames,
		ConsistentRead:           aws.Bool(consistent),
	}}
	for attempt := 0; len(pending) > 0; attempt++ {
		if attempt > 0 {
			if attempt > 10 {
				return nil, faas.Errorf(faas.TooManyRequests, "petstore: the store is busy; try again shortly")
			}
			// BatchGetItem may leave keys unprocessed under load; back off.
			if err := sleep(ctx, time.Duration(attempt)*20*time.Millisecond); err != nil {
				return nil, dbError(ctx, "get products", err)
			}
		}
		out, err := c.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: pending})
		if err != nil {
			return nil, dbError(ctx, "get products", err)
		}
		for _, item := range out.Responses[ProductsTable] {
			p := productFromItem(item)
			found[p.ID] = p
		}
		pending = out.UnprocessedKeys
	}
	return found, nil
}

// scan returns every product, in no particular order, that passes the
// filter expression of in (nil means all). in's table, projection and
// names are set by scan.
func (c *Catalog) scan(ctx context.Context, in *dynamodb.ScanInput) ([]Product, error) {
	if in == nil {
		in = new(dynamodb.ScanInput)
	}
	in.TableName = aws.String(ProductsTable)
	in.ProjectionExpression = aws.String(publicProjection)
	names := map[string]string{}
	for k, v := range in.ExpressionAttributeNames {
		names[k] = v
	}
	for k, v := range publicNames {
		names[k] = v
	}
	in.ExpressionAttributeNames = names
	var out []Product
	p := dynamodb.NewScanPaginator(c.db, in)
	for p.HasMorePages() {
		res, err := p.NextPage(ctx)
		if err != nil {
			return nil, dbError(ctx, "scan products", err)
		}
		for _, item := range res.Items {
			out = append(out, productFromItem(item))
		}
	}
	return out, nil
}

// Get returns the product with the given id, or a [faas.NotFound] error.
func (c *Catalog) Get(ctx context.Context, id string) (Product, error) {
	if !validID(id) {
		return Product{}, faas.Errorf(faas.NotFound, "petstore: there is no product %q", truncate(id, 80))
	}
	out, err := c.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:                aws.String(ProductsTable),
		Key:                      productKey(id),
		ProjectionExpression:     aws.String(publicProjection),
		ExpressionAttributeNames: publicNames,
	})
	if err != nil {
		return Product{}, dbError(ctx, "get product "+id, err)
	}
	if out.Item == nil {
		return Product{}, faas.Errorf(faas.NotFound, "petstore: there is no product %q", id)
	}
	return productFromItem(out.Item), nil
}
